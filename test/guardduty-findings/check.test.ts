import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import check from "../../shared/checks/guardduty-findings/finding";
import { matchesFindingType, quarantinePlan } from "../../shared/checks/guardduty-findings/quarantine-plan";
import {
  guardDutySeverityLabel,
  severityFromGuardDuty,
} from "../../shared/checks/guardduty-findings/severity";
import { envelopeSchema } from "../../shared/events/envelope";
import adapter from "../../shared/resources/guardduty-finding/adapter";
import type { GuardDutyFindingState } from "../../shared/resources/guardduty-finding/state";
import { ENI_ID, INSTANCE_ID, QUARANTINE_GROUP, WEB_GROUP, findingEvent, quarantineConfig } from "./support";

function stateOf(name: string, edit?: (state: GuardDutyFindingState) => void): GuardDutyFindingState {
  const [observation] = adapter.fromEvent?.(envelopeSchema.parse(findingEvent(name))) ?? [];
  if (!observation?.state) throw new Error(`no state for ${name}`);
  edit?.(observation.state);
  return observation.state;
}
const evaluate = (state: GuardDutyFindingState, config: VigilConfigInput = {}) =>
  check.evaluate(state, { config: parseConfig(config) });

describe("GuardDuty severity bands (GuardDuty User Guide: Low 1.0-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0)", () => {
  it.each([
    [0.1, "LOW", "Low"],
    [1, "LOW", "Low"],
    [3.9, "LOW", "Low"],
    [3.95, "LOW", "Low"],
    [4, "MEDIUM", "Medium"],
    [6.9, "MEDIUM", "Medium"],
    [7, "HIGH", "High"],
    [8.9, "HIGH", "High"],
    [9, "CRITICAL", "Critical"],
    [10, "CRITICAL", "Critical"],
  ] as const)("%s -> %s", (value, severity, label) => {
    expect(severityFromGuardDuty(value)).toBe(severity);
    expect(guardDutySeverityLabel(value)).toBe(label);
  });
});

describe("VIGIL.GUARDDUTY.FINDING evaluate()", () => {
  it("non-compliant: a live finding is one violation with GuardDuty's severity, summary and small evidence", () => {
    const [violation, ...rest] = evaluate(stateOf("ec2-ssh-bruteforce"));
    expect(rest).toEqual([]);
    expect(violation?.severity).toBe("LOW");
    expect(violation?.cidr).toBe("203.0.113.66/32");
    expect(violation?.summary).toBe(
      "GuardDuty UnauthorizedAccess:EC2/SSHBruteForce (severity 2.0, Low) on instance i-0c5e7a9b1d3f24680 (legacy-reporting-01): " +
        "203.0.113.66 is performing SSH brute force attacks against i-0c5e7a9b1d3f24680; " +
        "inbound TCP connection from 203.0.113.66 (Example Hosting, AS64512, Amsterdam, Netherlands) to port 22; " +
        "seen once, 2025-03-14T16:41:09Z to 2025-03-14T16:52:30Z",
    );
    expect(violation?.evidence).toMatchObject({
      guardDutyFindingId: "e2c8a4f6b0d2e4a6c8e0f2b4d6a8c0e2",
      type: "UnauthorizedAccess:EC2/SSHBruteForce",
      severity: 2,
      severityLabel: "Low",
      sample: false,
      count: 1,
      actor: { type: "RemoteHost", sourceIp: "203.0.113.66" },
      resource: { resourceType: "Instance", instance: { instanceId: INSTANCE_ID } },
      action: { actionType: "NETWORK_CONNECTION", direction: "INBOUND", localPort: 22 },
      quarantine: { eligible: false, reason: "quarantine is off (guardDuty.quarantine.enabled)" },
    });
    // The instance's tags can hold any text: only its Name is kept.
    expect(violation?.evidence.resource).toEqual(
      expect.objectContaining({ instance: expect.not.objectContaining({ tags: expect.anything() }) }),
    );
    expect(violation?.evidence).toMatchObject({ resource: { instance: { name: "legacy-reporting-01" } } });
    expect(JSON.stringify(violation?.evidence).length).toBeLessThan(3_000);
  });

  it("compliant: an archived finding violates nothing (its Vigil finding resolves)", () => {
    expect(evaluate(stateOf("ec2-ssh-bruteforce-archived"))).toEqual([]);
  });

  it("compliant: below guardDuty.minSeverity violates nothing; at it, it does", () => {
    const state = stateOf("ec2-ssh-bruteforce");
    expect(evaluate(state, { guardDuty: { minSeverity: 4 } })).toEqual([]);
    expect(evaluate(state, { guardDuty: { minSeverity: 2 } })).toHaveLength(1);
  });

  it.each([
    [2, "LOW"],
    [5, "MEDIUM"],
    [8, "HIGH"],
    [9.5, "CRITICAL"],
  ] as const)("GuardDuty severity %s makes a %s violation", (value, severity) => {
    const [violation] = evaluate(stateOf("ec2-ssh-bruteforce", (s) => (s.severity = value)));
    expect(violation?.severity).toBe(severity);
  });

  it("a sample finding is labelled [SAMPLE] and never eligible for quarantine", () => {
    const [violation] = evaluate(stateOf("sample-ec2-bitcoin-dns"), quarantineConfig());
    expect(
      violation?.summary.startsWith(
        "[SAMPLE] GuardDuty CryptoCurrency:EC2/BitcoinTool.B!DNS (severity 8.0, High)",
      ),
    ).toBe(true);
    expect(violation?.summary).toContain("DNS query for GeneratedFindingDomainName");
    expect(violation?.evidence).toMatchObject({
      sample: true,
      quarantine: { eligible: false, reason: "sample finding: never quarantined" },
    });
  });

  it("Kubernetes: the summary names cluster, namespace, pod, image, user, source IP and user agent", () => {
    const [violation] = evaluate(stateOf("kubernetes-privileged-container"));
    expect(violation?.severity).toBe("MEDIUM");
    expect(violation?.summary).toBe(
      "GuardDuty PrivilegeEscalation:Kubernetes/PrivilegedContainer (severity 5.0, Medium) on " +
        "EKS cluster orders-prod, namespace orders, pods debug-shell (image alpine:3.21): " +
        "Privileged container with root level access launched on EKS Cluster orders-prod; " +
        "Kubernetes API create /api/v1/namespaces/orders/pods (HTTP 201) by dana.lee@example.com from " +
        "198.51.100.23 (Example ISP, AS64500, Seattle, United States), user agent kubectl/v1.31.4 (linux/amd64) kubernetes/a78aa47; " +
        "seen once, at 2025-03-19T09:12:44Z",
    );
  });

  it("an API call finding names the key, its user, the API, the caller's IP and user agent", () => {
    const [violation] = evaluate(stateOf("iam-instance-credentials-outside-aws"));
    expect(violation?.severity).toBe("HIGH");
    expect(violation?.summary).toContain(
      "on access key ASIAXMPL7QW2E4R6T8YU of AssumedRole legacy-reporting",
    );
    expect(violation?.summary).toContain(
      "API call s3.amazonaws.com ListBuckets from 203.0.113.205 (Example VPS, AS64511, Bucharest, Romania) (Remote IP), user agent aws-cli/2.15.30",
    );
    expect(violation?.summary).toContain("seen 4 times, 2025-03-18T13:31:02Z to 2025-03-18T13:36:45Z");
    expect(violation?.evidence.actor).toMatchObject({
      accessKeyId: "ASIAXMPL7QW2E4R6T8YU",
      sourceIp: "203.0.113.205",
    });
  });

  it("an outbound connection names the remote end and port, and no actor (the instance itself acted)", () => {
    const [violation] = evaluate(stateOf("ec2-bitcoin-tool-outbound"));
    expect(violation?.summary).toContain(
      "outbound TCP connection to 192.0.2.15 (Example Pool Hosting, AS64496, Frankfurt am Main, Germany) port 3333",
    );
    expect(violation?.evidence.actor).toBeUndefined();
    // The remote address still serves config exemptions by CIDR.
    expect(violation?.cidr).toBe("192.0.2.15/32");
  });
});

describe("quarantine plan (pure; the remediation acts only on an eligible plan)", () => {
  const settings = (extra: Record<string, unknown> = {}) => parseConfig(quarantineConfig(extra)).guardDuty;

  it("eligible: an EC2 instance finding of this account, quarantine on, severity and type matching", () => {
    expect(quarantinePlan(stateOf("ec2-bitcoin-tool-outbound"), settings({ minSeverity: 7 }))).toEqual({
      eligible: true,
      instanceId: INSTANCE_ID,
      securityGroupId: QUARANTINE_GROUP,
      networkInterfaces: [{ networkInterfaceId: ENI_ID, securityGroupIds: [WEB_GROUP] }],
      optOutTagKey: "vigil:no-quarantine",
    });
  });

  it.each<[string, string, (s: GuardDutyFindingState) => void, Record<string, unknown>, string]>([
    [
      "off",
      "ec2-bitcoin-tool-outbound",
      () => {},
      { enabled: false },
      "quarantine is off (guardDuty.quarantine.enabled)",
    ],
    ["sample", "sample-ec2-bitcoin-dns", () => {}, {}, "sample finding: never quarantined"],
    ["not EC2", "kubernetes-privileged-container", () => {}, {}, "not an EC2 instance finding"],
    ["access key", "iam-instance-credentials-outside-aws", () => {}, {}, "not an EC2 instance finding"],
    [
      "member account",
      "ec2-bitcoin-tool-outbound",
      (s) => (s.accountId = "444455556666"),
      {},
      "the instance is in account 444455556666, not in this one",
    ],
    [
      "type not listed",
      "ec2-bitcoin-tool-outbound",
      () => {},
      { findingTypes: ["Backdoor:EC2/*", "UnauthorizedAccess:EC2/SSHBruteForce"] },
      "CryptoCurrency:EC2/BitcoinTool.B is not in guardDuty.quarantine.findingTypes",
    ],
    [
      "below minSeverity",
      "ec2-ssh-bruteforce",
      () => {},
      { minSeverity: 7 },
      "severity 2 is below guardDuty.quarantine.minSeverity (7)",
    ],
    [
      "two interfaces",
      "ec2-bitcoin-tool-outbound",
      (s) =>
        s.resource.instance?.networkInterfaces.push({
          networkInterfaceId: "eni-0aa1",
          securityGroupIds: [WEB_GROUP],
        }),
      {},
      "i-0c5e7a9b1d3f24680 has 2 network interfaces: quarantine it by hand (ModifyInstanceAttribute sets the groups of a single-interface instance only)",
    ],
    [
      "opted out",
      "ec2-bitcoin-tool-outbound",
      (s) => {
        if (s.resource.instance) s.resource.instance.tags["vigil:no-quarantine"] = "restored with vigil undo";
      },
      {},
      "i-0c5e7a9b1d3f24680 is tagged vigil:no-quarantine (opted out of quarantine)",
    ],
  ])("not eligible: %s", (_name, sample, edit, extra, reason) => {
    expect(quarantinePlan(stateOf(sample, edit), settings(extra))).toEqual({ eligible: false, reason });
  });

  it("finding type patterns: `*` is any run of characters, the rest literal", () => {
    expect(matchesFindingType("CryptoCurrency:EC2/*", "CryptoCurrency:EC2/BitcoinTool.B!DNS")).toBe(true);
    expect(matchesFindingType("*:EC2/*", "Backdoor:EC2/C&CActivity.B")).toBe(true);
    expect(matchesFindingType("Backdoor:EC2/C&CActivity.B", "Backdoor:EC2/C&CActivity.B!DNS")).toBe(false);
    expect(matchesFindingType("Backdoor:EC2/C&CActivity.B", "Backdoor:EC2/C&CActivityXB")).toBe(false);
    expect(matchesFindingType("*", "anything")).toBe(true);
  });

  it("config: enabling quarantine without a group is an error; the defaults keep it off", () => {
    expect(() => parseConfig({ guardDuty: { quarantine: { enabled: true } } })).toThrow(
      /securityGroupId is required/,
    );
    expect(() => parseConfig({ guardDuty: { quarantine: { securityGroupId: "default" } } })).toThrow(
      /security group id/,
    );
    expect(parseConfig({}).guardDuty).toEqual({
      minSeverity: 0,
      quarantine: { enabled: false, minSeverity: 7, optOutTagKey: "vigil:no-quarantine" },
    });
  });
});
