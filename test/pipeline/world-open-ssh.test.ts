import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findingId } from "../../shared/findings/id";
import { processEvent } from "../../shared/pipeline/process-event";
import { sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

const GROUP = "sg-07c1e5a9d3b2f4068";
const idFor = (checkId: string, resourceId = GROUP) =>
  findingId({ account: "111122223333", region: "us-east-1", checkId, resourceId });

describe("world-open SSH via AuthorizeSecurityGroupIngress, end to end", () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: GROUP, Tags: [{ Key: "team", Value: "platform" }] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
  });
  afterEach(() => t.close());

  it("revokes exactly the offending rule by id, after one tag read", async () => {
    const report = await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(t.ec2.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "DescribeSecurityGroupsCommand",
      "RevokeSecurityGroupIngressCommand",
    ]);
    expect(t.ec2.commandCalls(DescribeSecurityGroupsCommand)[0]?.args[0].input).toEqual({
      GroupIds: [GROUP],
    });
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
      GroupId: GROUP,
      SecurityGroupRuleIds: ["sgr-0d27a9c4e81f35b60"],
    });
    expect(report.resources[0]?.awsCalls).toBe(2);
  });

  it("records one finding per violated check, all REMEDIATED, with who, when, where and the undo payload", async () => {
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);

    const findings = await t.runtime.store.list();
    expect(findings.map((f) => f.checkId).sort()).toEqual(["EC2.13", "EC2.18", "EC2.19", "EC2.53"]);
    expect(new Set(findings.map((f) => f.status))).toEqual(new Set(["REMEDIATED"]));
    const ec219 = await t.runtime.store.get(idFor("EC2.19"));
    expect(ec219).toMatchObject({
      checkId: "EC2.19",
      controls: ["FSBP EC2.19"],
      severity: "CRITICAL",
      resource: { id: GROUP, type: "AWS::EC2::SecurityGroup", account: "111122223333", region: "us-east-1" },
      actor: {
        type: "IAMUser",
        arn: "arn:aws:iam::111122223333:user/alice.ops",
        sourceIp: "198.51.100.23",
        accessKeyId: "AKIAXMPLQ7RZ5BDF2GHJ",
      },
      eventIds: ["9608b3ef-5e27-51f0-9c55-6789b3812b17"],
      eventTime: "2025-03-11T14:02:17Z",
      evidence: [
        {
          rule: {
            protocol: "tcp",
            fromPort: 22,
            toPort: 22,
            source: { kind: "cidr4", cidr: "0.0.0.0/0" },
            ruleId: "sgr-0d27a9c4e81f35b60",
            description: "temp ssh for debugging",
          },
          ports: [22],
        },
      ],
      remediation: {
        remediationId: "revoke-security-group-ingress",
        mode: "auto",
        result: "succeeded",
        undo: {
          remediationId: "revoke-security-group-ingress",
          params: {
            groupId: GROUP,
            exemptChecks: ["EC2.19", "EC2.13", "EC2.53", "EC2.18"],
            exemptionTagKey: "vigil:exempt",
          },
        },
      },
      history: [{ from: null, to: "REMEDIATED" }],
    });
    expect(ec219?.actor?.userAgent).toMatch(/^aws-cli\/2\.22\.35/);
  });

  it("sends one alert for the resource listing every finding, then clears the pending flag", async () => {
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);

    expect(t.notifier.alerts).toHaveLength(1);
    const alert = t.notifier.alerts[0];
    expect(alert?.severity).toBe("CRITICAL");
    expect(alert?.resource.id).toBe(GROUP);
    expect(alert?.findings.map((f) => f.checkId).sort()).toEqual(["EC2.13", "EC2.18", "EC2.19", "EC2.53"]);
    expect(alert?.actor?.arn).toBe("arn:aws:iam::111122223333:user/alice.ops");
    const stored = await t.runtime.store.list();
    expect(stored.every((f) => f.notificationPending === false)).toBe(true);
  });

  it("gives one remediation and one alert when EventBridge delivers the same event twice", async () => {
    const event = sg("authorize-ssh-world-ipv4");
    await processEvent(event, t.runtime);
    const again = await processEvent(structuredClone(event), t.runtime);

    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(t.notifier.alerts).toHaveLength(1);
    expect(again.resources[0]?.findings.every((f) => !f.changed)).toBe(true);
    expect((await t.runtime.store.get(idFor("EC2.13")))?.version).toBe(2); // create + clear pending flag only
  });

  it("updates the same finding when a second event (Config) reports the same rule, without a second alert", async () => {
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
    // Config's item still shows the rule (captured just before the revoke); the live group no longer has it.
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    const config = sg("config-item-world-open-ssh-and-rdp");
    const item = config.detail.configurationItem as Record<string, unknown>;
    item.resourceId = GROUP;
    (item.configuration as Record<string, unknown>).groupId = GROUP;
    (item.configuration as { ipPermissions: unknown[] }).ipPermissions.splice(1, 1); // SSH only
    item.configurationItemCaptureTime = "2025-03-11T14:02:31.602Z";

    const report = await processEvent(config, t.runtime);

    expect(report.resources[0]?.remediation).toEqual([
      { result: "already-gone", action: `nothing to revoke on ${GROUP}: the rules are already gone` },
    ]);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(t.notifier.alerts).toHaveLength(1);
    const finding = await t.runtime.store.get(idFor("EC2.13"));
    expect(finding?.status).toBe("REMEDIATED");
    expect(finding?.eventIds).toEqual([sg("authorize-ssh-world-ipv4").id, config.id]);
    // The record with the undo payload survives the later "already gone".
    expect(finding?.remediation?.result).toBe("succeeded");
  });
});
