import { describe, expect, it } from "vitest";
import { remediationGrants } from "../../infra/permissions";
import { checkById } from "../../shared/checks/catalog";
import ec2_21 from "../../shared/checks/network-acl/ec2-21-nacl-admin-ports";
import { parseConfig } from "../../shared/config/load";
import { remediationById } from "../../shared/remediations/catalog";
import type { AclEntry } from "../../shared/resources/network-acl/state";
import { ACL_ID, STAR, WORLD4, WORLD6, aclState, entry } from "./support";

const context = { config: parseConfig({}) };
const evaluate = (entries: AclEntry[], extra = {}) =>
  ec2_21.evaluate(aclState([...entries, ...STAR], extra), context);
const exposed = (entries: AclEntry[]) =>
  evaluate(entries).map((v) => [
    (v.evidence.entry as AclEntry).ruleNumber,
    (v.evidence.exposures as { protocol: string; port: number }[]).map((x) => `${x.protocol} ${x.port}`),
  ]);

describe("EC2.21 definition", () => {
  it("is registered with its control, severity, triggers, reads and a dry-run remediation", () => {
    expect(checkById("EC2.21")).toBe(ec2_21);
    expect(ec2_21).toMatchObject({
      severity: "MEDIUM",
      resourceType: "AWS::EC2::NetworkAcl",
      controls: ["FSBP EC2.21", "CIS 5.1"],
      iamActions: ["ec2:DescribeNetworkAcls"],
      remediation: { id: "delete-network-acl-entry", defaultMode: "dry-run" },
      triggers: {
        cloudTrail: [
          {
            eventSource: "ec2.amazonaws.com",
            eventNames: [
              "CreateNetworkAclEntry",
              "ReplaceNetworkAclEntry",
              "DeleteNetworkAclEntry",
              "DeleteNetworkAcl",
            ],
          },
        ],
        config: ["AWS::EC2::NetworkAcl"],
      },
    });
  });

  it("its remediation is disruptive, and its write actions (and undo's re-create) act on network ACLs only", () => {
    const remediation = remediationById("delete-network-acl-entry");
    if (!remediation) throw new Error("delete-network-acl-entry is not in the catalog");
    expect(remediation).toMatchObject({ resourceType: "AWS::EC2::NetworkAcl", disruptive: true });
    const scope = { partition: "aws", region: "us-east-1", account: "111122223333" };
    const acls = ["arn:aws:ec2:us-east-1:111122223333:network-acl/*"];
    expect(remediationGrants([remediation], scope)).toEqual([
      { actions: ["ec2:DescribeNetworkAcls"], resources: ["*"] },
      { actions: ["ec2:DeleteNetworkAclEntry"], resources: acls },
    ]);
    expect(remediation.undoIamActions).toContain("ec2:CreateNetworkAclEntry");
    const recreate = { ...remediation, iamActions: ["ec2:CreateNetworkAclEntry"] };
    expect(remediationGrants([recreate], scope)).toEqual([
      { actions: ["ec2:CreateNetworkAclEntry"], resources: acls },
    ]);
  });
});

describe("EC2.21 evaluate: non-compliant", () => {
  it("an inbound allow of TCP 22 from 0.0.0.0/0: one violation that names the entry, the ports and why", () => {
    const ssh = entry(90, "allow", "6", WORLD4, [22, 22]);
    expect(evaluate([ssh, entry(100, "allow", "6", WORLD4, [443, 443])])).toEqual([
      {
        summary: `network ACL ${ACL_ID} ingress rule 90: allow tcp 22 from 0.0.0.0/0 lets the internet reach tcp 22 (SSH)`,
        evidence: { networkAclId: ACL_ID, entry: ssh, exposures: [{ protocol: "tcp", port: 22 }] },
        cidr: WORLD4,
      },
    ]);
  });

  it("::/0 counts as much as 0.0.0.0/0", () => {
    expect(exposed([entry(95, "allow", "6", WORLD6, [3389, 3389])])).toEqual([[95, ["tcp 3389"]]]);
  });

  it("all traffic reaches both ports over TCP and UDP; a UDP entry counts too", () => {
    expect(exposed([entry(90, "allow", "-1", WORLD4)])).toEqual([
      [90, ["tcp 22", "tcp 3389", "udp 22", "udp 3389"]],
    ]);
    expect(exposed([entry(90, "allow", "17", WORLD4, [3389, 3389])])).toEqual([[90, ["udp 3389"]]]);
  });

  it("a range that includes a port counts (the usual ephemeral 1024-65535 includes RDP)", () => {
    expect(exposed([entry(120, "allow", "6", WORLD4, [1024, 65535])])).toEqual([[120, ["tcp 3389"]]]);
  });

  it("a deny that covers only part of the internet leaves the allow behind it open", () => {
    const partial = [
      entry(80, "deny", "6", "203.0.113.0/24", [22, 22]),
      entry(90, "allow", "6", WORLD4, [22, 22]),
    ];
    expect(exposed(partial)).toEqual([[90, ["tcp 22"]]]);
  });

  it("a deny of TCP only leaves UDP open; an IPv4 deny doesn't shadow an IPv6 allow", () => {
    expect(exposed([entry(80, "deny", "6", WORLD4, [0, 65535]), entry(90, "allow", "-1", WORLD4)])).toEqual([
      [90, ["udp 22", "udp 3389"]],
    ]);
    expect(exposed([entry(80, "deny", "-1", WORLD4), entry(90, "allow", "6", WORLD6, [22, 22])])).toEqual([
      [90, ["tcp 22"]],
    ]);
  });

  it("of two world-open allows for the same traffic only the one AWS applies (lower number) is reported", () => {
    expect(exposed([entry(200, "allow", "6", WORLD4, [22, 22]), entry(100, "allow", "-1", WORLD4)])).toEqual([
      [100, ["tcp 22", "tcp 3389", "udp 22", "udp 3389"]],
    ]);
  });
});

describe("EC2.21 evaluate: compliant", () => {
  it("an allow shadowed by lower-numbered denies of the same traffic is no violation", () => {
    const shadowed = [
      entry(50, "deny", "6", WORLD4, [22, 22]),
      entry(51, "deny", "6", WORLD4, [3389, 3389]),
      entry(100, "allow", "6", WORLD4, [0, 65535]),
    ];
    expect(evaluate(shadowed)).toEqual([]);
  });

  it("two half-internet denies shadow as much as one 0.0.0.0/0 deny", () => {
    const halves = [
      entry(10, "deny", "-1", "0.0.0.0/1"),
      entry(11, "deny", "-1", "128.0.0.0/1"),
      entry(90, "allow", "-1", WORLD4),
    ];
    expect(evaluate(halves)).toEqual([]);
    expect(exposed(halves.slice(1))).toEqual([[90, ["tcp 22", "tcp 3389", "udp 22", "udp 3389"]]]);
  });

  it("known sources, other ports, ICMP, denies and egress entries are fine", () => {
    expect(
      evaluate([
        entry(90, "allow", "6", "198.51.100.0/24", [22, 22]),
        entry(91, "allow", "6", "2001:db8::/32", [3389, 3389]),
        entry(100, "allow", "6", WORLD4, [443, 443]),
        entry(101, "allow", "6", WORLD4, [23, 3388]),
        entry(102, "allow", "1", WORLD4),
        entry(103, "allow", "47", WORLD4),
        entry(104, "deny", "-1", WORLD6),
        entry(100, "allow", "-1", WORLD4, undefined, true),
      ]),
    ).toEqual([]);
  });
});

describe("EC2.21 evaluate: not applicable or undecided", () => {
  it("the VPC's default ACL is not evaluated (allow-all by design, as in Security Hub)", () => {
    expect(evaluate([entry(100, "allow", "-1", WORLD4)], { isDefault: true })).toEqual([]);
  });

  it("one entry from a CloudTrail call can't be judged; neither can an ACL not known to be non-default", () => {
    const partial = aclState([entry(90, "allow", "6", WORLD4, [22, 22])], { wholeAcl: false });
    expect(ec2_21.undecided?.(partial, context)).toMatch(/rule-number order on the whole ACL/);
    const unknown = aclState([entry(90, "allow", "6", WORLD4, [22, 22])], { isDefault: undefined });
    expect(ec2_21.undecided?.(unknown, context)).toMatch(/default network ACL is unknown/);
    expect(ec2_21.undecided?.(aclState(STAR), context)).toBeUndefined();
  });

  it("evaluate is pure: the state is left as it was", () => {
    const state = aclState([
      entry(200, "allow", "-1", WORLD4),
      entry(100, "deny", "6", WORLD4, [22, 22]),
      ...STAR,
    ]);
    const before = structuredClone(state);
    expect(ec2_21.evaluate(state, context)).toHaveLength(1);
    expect(state).toEqual(before);
  });
});
