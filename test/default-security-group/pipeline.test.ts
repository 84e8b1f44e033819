import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type RevokeSecurityGroupEgressCommandInput,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, BY_NAME_GROUP, CONFIG_GROUP, EGRESS_GROUP, awsError, idFor } from "./support";

const ec2Calls = (t: TestRuntime) =>
  t.ec2.calls().map((c) => c.args[0].constructor.name.replace(/Command$/, ""));
const inputsOf = <T>(t: TestRuntime, command: T) =>
  t.ec2.commandCalls(command as never).map((c) => (c.args[0] as { input: unknown }).input);
const egressAnswer = (input: RevokeSecurityGroupEgressCommandInput) => ({
  Return: true,
  RevokedSecurityGroupRules: (input.SecurityGroupRuleIds ?? []).map((id) => ({
    SecurityGroupRuleId: id,
    GroupId: input.GroupId,
    IsEgress: true,
  })),
});

/** A fresh VPC's default group as DescribeSecurityGroupRules lists it. */
const untouchedRules = (groupId: string): SecurityGroupRule[] => [
  {
    SecurityGroupRuleId: "sgr-0self0000000000001",
    GroupId: groupId,
    IsEgress: false,
    IpProtocol: "-1",
    FromPort: -1,
    ToPort: -1,
    ReferencedGroupInfo: { GroupId: groupId, UserId: ACCOUNT },
  },
  {
    SecurityGroupRuleId: "sgr-0out00000000000002",
    GroupId: groupId,
    IsEgress: true,
    IpProtocol: "-1",
    FromPort: -1,
    ToPort: -1,
    CidrIpv4: "0.0.0.0/0",
  },
];

function answerRevokes(t: TestRuntime) {
  t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
  t.ec2.on(RevokeSecurityGroupEgressCommand).callsFake(egressAnswer);
}

describe("EC2.2 through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  describe("Config item of a fresh VPC's untouched default group (AWS's control flags it too)", () => {
    it("non-compliant, not in use: looks the rules up by value and revokes exactly them by id, REMEDIATED", async () => {
      t = await testRuntime();
      t.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
      t.ec2
        .on(DescribeSecurityGroupRulesCommand)
        .resolves({ SecurityGroupRules: untouchedRules(CONFIG_GROUP) });
      answerRevokes(t);

      const report = await processEvent(sg("config-item-default-group-untouched"), t.runtime);

      expect(report.outcome).toBe("processed");
      expect(ec2Calls(t)).toEqual([
        "DescribeNetworkInterfaces",
        "DescribeSecurityGroupRules",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
      ]);
      expect(inputsOf(t, DescribeNetworkInterfacesCommand)).toEqual([
        { Filters: [{ Name: "group-id", Values: [CONFIG_GROUP] }], MaxResults: 1000 },
      ]);
      expect(inputsOf(t, RevokeSecurityGroupIngressCommand)).toEqual([
        { GroupId: CONFIG_GROUP, SecurityGroupRuleIds: ["sgr-0self0000000000001"] },
      ]);
      expect(inputsOf(t, RevokeSecurityGroupEgressCommand)).toEqual([
        { GroupId: CONFIG_GROUP, SecurityGroupRuleIds: ["sgr-0out00000000000002"] },
      ]);
      const finding = await t.runtime.store.get(idFor(CONFIG_GROUP));
      expect(finding).toMatchObject({
        checkId: "EC2.2",
        status: "REMEDIATED",
        severity: "HIGH",
        controls: ["FSBP EC2.2", "CIS 5.4"],
        resource: { id: CONFIG_GROUP, name: "default" },
        remediation: {
          remediationId: "remove-default-security-group-rules",
          mode: "auto",
          result: "succeeded",
          action: `removed from default group ${CONFIG_GROUP}: inbound all traffic from ${CONFIG_GROUP} (sgr-0self0000000000001); outbound all traffic to 0.0.0.0/0 (sgr-0out00000000000002)`,
          undo: {
            remediationId: "remove-default-security-group-rules",
            params: {
              groupId: CONFIG_GROUP,
              ingress: [
                {
                  protocol: "all",
                  source: { kind: "group", groupId: CONFIG_GROUP, userId: ACCOUNT },
                  ruleId: "sgr-0self0000000000001",
                },
              ],
              egress: [
                {
                  protocol: "all",
                  source: { kind: "cidr4", cidr: "0.0.0.0/0" },
                  ruleId: "sgr-0out00000000000002",
                },
              ],
              exemptChecks: ["EC2.2"],
              exemptionTagKey: "vigil:exempt",
            },
          },
        },
      });
      expect(finding?.evidence).toHaveLength(2);
      expect(t.notifier.alerts).toHaveLength(1);
    });

    it("non-compliant but in use: nothing is revoked, the finding stays OPEN and says which interfaces use it", async () => {
      t = await testRuntime();
      t.ec2.on(DescribeNetworkInterfacesCommand).resolves({
        NetworkInterfaces: [
          { NetworkInterfaceId: "eni-0a1" },
          { NetworkInterfaceId: "eni-0a2" },
          { NetworkInterfaceId: "eni-0a3" },
          { NetworkInterfaceId: "eni-0a4" },
        ],
      });
      await processEvent(sg("config-item-default-group-untouched"), t.runtime);
      expect(ec2Calls(t)).toEqual(["DescribeNetworkInterfaces"]);
      expect(await t.runtime.store.get(idFor(CONFIG_GROUP))).toMatchObject({
        status: "OPEN",
        remediation: {
          result: "skipped",
          action: `held back: default group ${CONFIG_GROUP} is used by eni-0a1, eni-0a2, eni-0a3 and 1 more; removing its rules would cut their traffic`,
        },
      });
      expect(t.notifier.alerts).toHaveLength(1);
    });

    it("compliant: the closed default group resolves the open finding", async () => {
      t = await testRuntime({ config: { modes: { "EC2.2": "off" } } });
      await processEvent(sg("config-item-default-group-untouched"), t.runtime);
      expect((await t.runtime.store.get(idFor(CONFIG_GROUP)))?.status).toBe("OPEN");
      await processEvent(sg("config-item-default-group-closed"), t.runtime);
      expect((await t.runtime.store.get(idFor(CONFIG_GROUP)))?.status).toBe("RESOLVED");
      expect(t.ec2.calls()).toHaveLength(0);
    });

    it("dry-run plans the removal and sends nothing", async () => {
      t = await testRuntime({ config: { modeOverride: "dry-run" } });
      await processEvent(sg("config-item-default-group-untouched"), t.runtime);
      expect(t.ec2.calls()).toHaveLength(0);
      expect(await t.runtime.store.get(idFor(CONFIG_GROUP))).toMatchObject({
        status: "OPEN",
        remediation: {
          mode: "dry-run",
          result: "planned",
          action: `remove from default group ${CONFIG_GROUP}: inbound all traffic from ${CONFIG_GROUP}; outbound all traffic to 0.0.0.0/0`,
        },
      });
    });

    it("exempt by tag: SUPPRESSED, nothing read or revoked", async () => {
      t = await testRuntime();
      const event = sg("config-item-default-group-untouched");
      const item = (event.detail as { configurationItem: { tags: Record<string, string> } })
        .configurationItem;
      item.tags = { "vigil:exempt": "EC2.2" };
      await processEvent(event, t.runtime);
      expect(t.ec2.calls()).toHaveLength(0);
      expect((await t.runtime.store.get(idFor(CONFIG_GROUP)))?.status).toBe("SUPPRESSED");
    });

    it("a rule deleted meanwhile is skipped: the rest is still removed", async () => {
      t = await testRuntime();
      t.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
      t.ec2
        .on(DescribeSecurityGroupRulesCommand)
        .resolves({ SecurityGroupRules: untouchedRules(CONFIG_GROUP).slice(1) });
      answerRevokes(t);
      await processEvent(sg("config-item-default-group-untouched"), t.runtime);
      expect(ec2Calls(t)).toEqual([
        "DescribeNetworkInterfaces",
        "DescribeSecurityGroupRules",
        "RevokeSecurityGroupEgress",
      ]);
      expect((await t.runtime.store.get(idFor(CONFIG_GROUP)))?.remediation?.action).toBe(
        `removed from default group ${CONFIG_GROUP}: outbound all traffic to 0.0.0.0/0 (sgr-0out00000000000002)`,
      );
    });

    it("a throttled network-interface read fails the event so it is retried", async () => {
      t = await testRuntime();
      t.ec2
        .on(DescribeNetworkInterfacesCommand)
        .rejects(awsError("RequestLimitExceeded", { $retryable: {} }));
      await expect(processEvent(sg("config-item-default-group-untouched"), t.runtime)).rejects.toThrow(
        /remediate/,
      );
      expect((await t.runtime.store.get(idFor(CONFIG_GROUP)))?.remediation?.result).toBe("failed");
    });
  });

  describe("CloudTrail calls on a default group", () => {
    it("AuthorizeSecurityGroupEgress by id: the group is read whole, then every rule is removed by id", async () => {
      t = await testRuntime();
      t.ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [{ GroupId: EGRESS_GROUP, GroupName: "default", VpcId: "vpc-0a1", Tags: [] }],
      });
      t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
        SecurityGroupRules: [
          ...untouchedRules(EGRESS_GROUP),
          {
            SecurityGroupRuleId: "sgr-0e4f6a8b0c2d41357",
            GroupId: EGRESS_GROUP,
            IsEgress: true,
            IpProtocol: "tcp",
            FromPort: 443,
            ToPort: 443,
            CidrIpv4: "0.0.0.0/0",
            Description: "https out",
          },
        ],
      });
      t.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
      answerRevokes(t);

      const report = await processEvent(sg("authorize-egress-default-group"), t.runtime);

      expect(report.outcome).toBe("processed");
      // One read names the group (and gives its tags), one lists its rules; the ids are then exact.
      expect(ec2Calls(t)).toEqual([
        "DescribeSecurityGroups",
        "DescribeSecurityGroupRules",
        "DescribeNetworkInterfaces",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
      ]);
      expect(inputsOf(t, RevokeSecurityGroupEgressCommand)).toEqual([
        { GroupId: EGRESS_GROUP, SecurityGroupRuleIds: ["sgr-0out00000000000002", "sgr-0e4f6a8b0c2d41357"] },
      ]);
      expect(await t.runtime.store.get(idFor(EGRESS_GROUP))).toMatchObject({
        status: "REMEDIATED",
        actor: { arn: "arn:aws:iam::111122223333:user/alice.ops" },
        evidence: expect.arrayContaining([
          expect.objectContaining({
            direction: "egress",
            rule: expect.objectContaining({ description: "https out" }),
          }),
        ]),
      });
    });

    it("AuthorizeSecurityGroupEgress on any other group: one read, no finding, nothing revoked", async () => {
      t = await testRuntime();
      t.ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [{ GroupId: EGRESS_GROUP, GroupName: "app-egress", VpcId: "vpc-0a1", Tags: [] }],
      });
      const report = await processEvent(sg("authorize-egress-default-group"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(ec2Calls(t)).toEqual(["DescribeSecurityGroups"]);
      expect(await t.runtime.store.list()).toEqual([]);
    });

    it("AuthorizeSecurityGroupIngress by the name `default`: judged on the whole group, removed", async () => {
      t = await testRuntime();
      t.ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [{ GroupId: BY_NAME_GROUP, GroupName: "default", VpcId: "vpc-0de0fa017", Tags: [] }],
      });
      t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
        SecurityGroupRules: [
          ...untouchedRules(BY_NAME_GROUP),
          {
            SecurityGroupRuleId: "sgr-0a3c5e7b9d1f24680",
            GroupId: BY_NAME_GROUP,
            IsEgress: false,
            IpProtocol: "tcp",
            FromPort: 5432,
            ToPort: 5432,
            CidrIpv4: "172.31.0.0/16",
          },
        ],
      });
      t.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
      answerRevokes(t);
      await processEvent(sg("authorize-default-group-by-name"), t.runtime);
      expect(inputsOf(t, RevokeSecurityGroupIngressCommand)).toEqual([
        { GroupId: BY_NAME_GROUP, SecurityGroupRuleIds: ["sgr-0self0000000000001", "sgr-0a3c5e7b9d1f24680"] },
      ]);
      expect((await t.runtime.store.get(idFor(BY_NAME_GROUP)))?.status).toBe("REMEDIATED");
    });

    it("AuthorizeSecurityGroupIngress by id: no read is added (the hot path), EC2.2 waits for Config", async () => {
      t = await testRuntime();
      const event = sg("authorize-default-group-by-name");
      const request = event.detail.requestParameters as Record<string, unknown>;
      delete request.groupName;
      request.groupId = BY_NAME_GROUP;
      const report = await processEvent(event, t.runtime);
      expect(report.outcome).toBe("processed");
      expect(t.ec2.calls()).toHaveLength(0);
      expect(await t.runtime.store.list()).toEqual([]);
    });

    it("bad input: a malformed egress call is invalid and changes nothing", async () => {
      t = await testRuntime();
      const event = sg("authorize-egress-default-group");
      event.detail.requestParameters = { groupId: 42, ipPermissions: { items: [] } };
      const report = await processEvent(event, t.runtime);
      expect(report.outcome).toBe("invalid");
      expect(t.ec2.calls()).toHaveLength(0);
      expect(await t.runtime.store.list()).toEqual([]);
    });
  });
});
