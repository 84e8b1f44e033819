import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { findingId } from "../../shared/findings/id";
import { processEvent } from "../../shared/pipeline/process-event";
import { sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

const idFor = (checkId: string, resourceId: string) =>
  findingId({ account: "111122223333", region: "us-east-1", checkId, resourceId });

function awsError(name: string): Error {
  return Object.assign(new Error(name), { name, $metadata: {} });
}

describe("remediation paths", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("revokes only the world-open rule of a request with several CIDRs and keeps 10.20.0.0/16", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0c4d2e6f8a1b3c579", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    await processEvent(sg("authorize-ssh-world-and-office-cidrs"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
      { GroupId: "sg-0c4d2e6f8a1b3c579", SecurityGroupRuleIds: ["sgr-0b1c2d3e4f5a69780"] },
    ]);
  });

  it("takes the group id from the response when the request names only groupName", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0d6e8f0a2b4c61357", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    await processEvent(sg("authorize-by-group-name-default-vpc"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
      GroupId: "sg-0d6e8f0a2b4c61357",
      SecurityGroupRuleIds: ["sgr-0c5d6e7f8a9b01234"],
    });
  });

  it("suppresses and never remediates a group tagged exempt", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: "sg-07c1e5a9d3b2f4068",
          Tags: [
            { Key: "vigil:exempt", Value: "*" },
            { Key: "vigil:exempt-reason", Value: "bastion" },
          ],
        },
      ],
    });
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    const findings = await t.runtime.store.list();
    expect(findings.map((f) => [f.checkId, f.status, f.suppression?.reason])).toEqual(
      expect.arrayContaining([["EC2.13", "SUPPRESSED", "bastion"]]),
    );
    expect(findings.every((f) => f.status === "SUPPRESSED" && f.remediation === undefined)).toBe(true);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("suppresses by config exemption (resource id) without reading AWS for the decision", async () => {
    t = await testRuntime({
      config: {
        exemptions: [
          { checks: "*", resourceIds: ["sg-07c1e5a9d3b2f4068"], reason: "public bastion, SEC-12" },
        ],
      },
    });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect((await t.runtime.store.get(idFor("EC2.19", "sg-07c1e5a9d3b2f4068")))?.suppression).toEqual({
      source: "config",
      reason: "public bastion, SEC-12",
    });
  });

  it("holds back auto-remediation when the tags can't be read, and still reports", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeSecurityGroupsCommand).rejects(awsError("UnauthorizedOperation"));
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    const finding = await t.runtime.store.get(idFor("EC2.19", "sg-07c1e5a9d3b2f4068"));
    expect(finding?.status).toBe("OPEN");
    expect(finding?.remediation).toMatchObject({
      mode: "auto",
      result: "skipped",
      action: "held back: the resource's tags (exemptions) could not be read",
    });
    expect(t.notifier.alerts).toHaveLength(1);
    expect(
      t.logger.entries.some((e) => e.level === "error" && e.message.includes("could not read tags")),
    ).toBe(true);
  });

  it("plans but changes nothing in dry-run, and does nothing in off", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    const finding = await t.runtime.store.get(idFor("EC2.19", "sg-07c1e5a9d3b2f4068"));
    expect(finding).toMatchObject({ status: "OPEN", remediation: { mode: "dry-run", result: "planned" } });
    expect(finding?.remediation?.action).toBe(
      "revoke from sg-07c1e5a9d3b2f4068: tcp 22 from 0.0.0.0/0 (sgr-0d27a9c4e81f35b60)",
    );
    await t.close();

    t = await testRuntime({
      config: { modes: { "EC2.19": "off", "EC2.13": "off", "EC2.53": "off", "EC2.18": "off" } },
    });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect((await t.runtime.store.get(idFor("EC2.19", "sg-07c1e5a9d3b2f4068")))?.remediation?.result).toBe(
      "skipped",
    );
  });

  it("EC2.18 alone (default dry-run) plans the revoke of an unauthorized port without touching it", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0e2b7d41c9a3f5612", Tags: [] }] });
    const event = sg("authorize-ssh-single-host-compliant");
    // Make it tcp 9000 from the world: only EC2.18 applies.
    const detail = event.detail as {
      responseElements: { securityGroupRuleSet: { items: Record<string, unknown>[] } };
    };
    Object.assign(detail.responseElements.securityGroupRuleSet.items[0] ?? {}, {
      fromPort: 9000,
      toPort: 9000,
      cidrIpv4: "0.0.0.0/0",
    });
    await processEvent(event, t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    const findings = await t.runtime.store.list();
    expect(findings.map((f) => [f.checkId, f.status, f.remediation?.mode, f.remediation?.result])).toEqual([
      ["EC2.18", "OPEN", "dry-run", "planned"],
    ]);
  });

  it("counts a rule whose id and value are both gone as done, with no undo payload", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0f3a8c5e7b1d2946a", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError("InvalidSecurityGroupRuleId.NotFound"));
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    await processEvent(sg("authorize-rdp-world-ipv6"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect(t.ec2.commandCalls(DescribeSecurityGroupRulesCommand)[0]?.args[0].input).toEqual({
      Filters: [{ Name: "group-id", Values: ["sg-0f3a8c5e7b1d2946a"] }],
      MaxResults: 1000,
    });
    const finding = await t.runtime.store.get(idFor("EC2.14", "sg-0f3a8c5e7b1d2946a"));
    expect(finding).toMatchObject({ status: "REMEDIATED", remediation: { result: "already-gone" } });
    expect(finding?.remediation?.undo).toBeUndefined();
  });

  it("revokes a re-created rule found by value when the event's rule id is gone", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0f3a8c5e7b1d2946a", Tags: [] }] });
    t.ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(awsError("InvalidSecurityGroupRuleId.NotFound"))
      .callsFake(revokeAnswer);
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: "sgr-0new",
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 3389,
          ToPort: 3389,
          CidrIpv6: "::/0",
        },
        {
          SecurityGroupRuleId: "sgr-0keep",
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 3389,
          ToPort: 3389,
          CidrIpv6: "2001:db8::/32",
        },
      ],
    });
    await processEvent(sg("authorize-rdp-world-ipv6"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
      { GroupId: "sg-0f3a8c5e7b1d2946a", SecurityGroupRuleIds: ["sgr-0a91c3e5f7b2d4068"] },
      { GroupId: "sg-0f3a8c5e7b1d2946a", SecurityGroupRuleIds: ["sgr-0new"] },
    ]);
    const finding = await t.runtime.store.get(idFor("EC2.14", "sg-0f3a8c5e7b1d2946a"));
    expect(finding?.remediation?.undo?.params).toMatchObject({ rules: [{ ruleId: "sgr-0new" }] });
  });

  it("revokes by exact value when the rule-lookup API is unavailable", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0f3a8c5e7b1d2946a", Tags: [] }] });
    t.ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(awsError("InvalidSecurityGroupRuleId.NotFound"))
      .callsFake(revokeAnswer);
    t.ec2.on(DescribeSecurityGroupRulesCommand).rejects(awsError("InvalidAction"));
    await processEvent(sg("authorize-rdp-world-ipv6"), t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)[1]?.args[0].input).toEqual({
      GroupId: "sg-0f3a8c5e7b1d2946a",
      IpPermissions: [
        { IpProtocol: "tcp", FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: "::/0" }] },
      ],
    });
    expect((await t.runtime.store.get(idFor("EC2.14", "sg-0f3a8c5e7b1d2946a")))?.status).toBe("REMEDIATED");
  });

  it("does not believe a `true` that revoked nothing: re-reads, then revokes the live rule found by value", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0f3a8c5e7b1d2946a", Tags: [] }] });
    // An emulator that ignores SecurityGroupRuleId.N and answers true without a list.
    t.ec2.on(RevokeSecurityGroupIngressCommand).resolvesOnce({ Return: true }).callsFake(revokeAnswer);
    const live = {
      SecurityGroupRuleId: "sgr-0a91c3e5f7b2d4068",
      IsEgress: false,
      IpProtocol: "tcp",
      FromPort: 3389,
      ToPort: 3389,
      CidrIpv6: "::/0",
    };
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [live] });
    await processEvent(sg("authorize-rdp-world-ipv6"), t.runtime);
    expect(t.ec2.commandCalls(DescribeSecurityGroupRulesCommand).map((c) => c.args[0].input)).toEqual([
      { SecurityGroupRuleIds: ["sgr-0a91c3e5f7b2d4068"] },
      { Filters: [{ Name: "group-id", Values: ["sg-0f3a8c5e7b1d2946a"] }], MaxResults: 1000 },
    ]);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(2);
    expect((await t.runtime.store.get(idFor("EC2.14", "sg-0f3a8c5e7b1d2946a")))?.remediation?.result).toBe(
      "succeeded",
    );
  });

  it("counts a by-value revoke that AWS reports as unknown (default VPC) as already gone, with nothing to undo", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0f3a8c5e7b1d2946a", Tags: [] }] });
    t.ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(awsError("InvalidSecurityGroupRuleId.NotFound"))
      .resolves({
        Return: true,
        UnknownIpPermissions: [
          { IpProtocol: "tcp", FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: "::/0" }] },
        ],
      });
    t.ec2.on(DescribeSecurityGroupRulesCommand).rejects(awsError("InvalidAction"));
    await processEvent(sg("authorize-rdp-world-ipv6"), t.runtime);
    const finding = await t.runtime.store.get(idFor("EC2.14", "sg-0f3a8c5e7b1d2946a"));
    expect(finding?.remediation?.result).toBe("already-gone");
    expect(finding?.remediation?.undo).toBeUndefined();
  });

  it("revokes several rules in one call and falls back to one id per call when one is gone", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0b5c7d9e1f3a24680", Tags: [] }] });
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });
    t.ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(awsError("InvalidSecurityGroupRuleId.NotFound"))
      .rejectsOnce(awsError("InvalidSecurityGroupRuleId.NotFound"))
      .callsFake(revokeAnswer);
    const event = sg("authorize-https-world-compliant");
    for (const item of (
      event.detail.responseElements as { securityGroupRuleSet: { items: Record<string, unknown>[] } }
    ).securityGroupRuleSet.items) {
      Object.assign(item, { fromPort: 22, toPort: 22 });
    }
    await processEvent(event, t.runtime);
    expect(
      t.ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input.SecurityGroupRuleIds),
    ).toEqual([
      ["sgr-01a2b3c4d5e6f7081", "sgr-01a2b3c4d5e6f7082"],
      ["sgr-01a2b3c4d5e6f7081"],
      ["sgr-01a2b3c4d5e6f7082"],
    ]);
    const finding = await t.runtime.store.get(idFor("EC2.13", "sg-0b5c7d9e1f3a24680"));
    expect(finding?.remediation?.undo?.params).toMatchObject({
      rules: [{ ruleId: "sgr-01a2b3c4d5e6f7082" }],
    });
  });

  it("records a failed revoke as OPEN with the error, and alerts", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-0f3a8c5e7b1d2946a", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError("UnauthorizedOperation"));
    await processEvent(sg("authorize-rdp-world-ipv6"), t.runtime);
    const finding = await t.runtime.store.get(idFor("EC2.14", "sg-0f3a8c5e7b1d2946a"));
    expect(finding).toMatchObject({
      status: "OPEN",
      remediation: { result: "failed", detail: "UnauthorizedOperation" },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("stops remediating a resource that flaps (loop guard)", async () => {
    t = await testRuntime({ config: { flapping: { maxRemediations: 2, windowMinutes: 60 } } });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    const times = ["2025-03-11T14:02:18.000Z", "2025-03-11T14:05:00.000Z", "2025-03-11T14:09:00.000Z"];
    for (const [i, time] of times.entries()) {
      t.runtime.now = () => new Date(time);
      const event = sg("authorize-ssh-world-ipv4");
      event.id = `replayed-${i}`;
      await processEvent(event, t.runtime);
    }
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(2);
    const finding = await t.runtime.store.get(idFor("EC2.19", "sg-07c1e5a9d3b2f4068"));
    expect(finding?.remediation?.action).toBe("held back: remediated too often in the loop-guard window");
    expect(finding?.status).toBe("OPEN");
  });

  it("confirms a ModifySecurityGroupRules edit against the live rule before revoking it", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: "sgr-0f2d4b6a8c1e35797",
          GroupId: "sg-05d8a1f7e3c92b4a7",
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          CidrIpv4: "0.0.0.0/0",
        },
      ],
    });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-05d8a1f7e3c92b4a7", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    const report = await processEvent(sg("modify-rule-ssh-to-world"), t.runtime);
    expect(t.ec2.commandCalls(DescribeSecurityGroupRulesCommand)[0]?.args[0].input).toEqual({
      SecurityGroupRuleIds: ["sgr-0f2d4b6a8c1e35797"],
    });
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
      GroupId: "sg-05d8a1f7e3c92b4a7",
      SecurityGroupRuleIds: ["sgr-0f2d4b6a8c1e35797"],
    });
    expect(report.resources[0]?.findings.find((f) => f.checkId === "EC2.13")?.status).toBe("REMEDIATED");
    expect((await t.runtime.store.get(idFor("EC2.13", "sg-05d8a1f7e3c92b4a7")))?.actor?.fromConsole).toBe(
      true,
    );
  });

  it("leaves an edited egress rule alone (the request doesn't say which direction it is)", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: "sgr-0f2d4b6a8c1e35797",
          IsEgress: true,
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          CidrIpv4: "0.0.0.0/0",
        },
      ],
    });
    const report = await processEvent(sg("modify-rule-ssh-to-world"), t.runtime);
    expect(report.resources[0]?.findings).toEqual([]);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });
});
