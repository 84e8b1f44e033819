import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import remediation from "../../shared/remediations/remove-default-security-group-rules";
import { makeRule } from "../../shared/resources/security-group/rule-factory";
import type { SecurityGroupState } from "../../shared/resources/security-group/state";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, awsError } from "./support";

const GROUP = "sg-0c3d4e5f6a7b80912";
const selfIn = makeRule({ protocol: "-1", source: { kind: "group", groupId: GROUP, userId: ACCOUNT } });
const allOut = makeRule({ protocol: "-1", source: { kind: "cidr4", cidr: "0.0.0.0/0" } });
const state: SecurityGroupState = {
  groupId: GROUP,
  groupName: "default",
  ingress: [selfIn],
  egress: [allOut],
};
const violations: Violation[] = [
  { summary: "in", evidence: { direction: "ingress", rule: selfIn } },
  { summary: "out", evidence: { direction: "egress", rule: allOut }, cidr: "0.0.0.0/0" },
];

describe("remove-default-security-group-rules", () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime();
    t.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
  });
  afterEach(() => t.close());

  it("never touches a group that isn't a default group", async () => {
    const outcome = await remediation.apply(
      { state: { ...state, groupName: "web" }, violations, dryRun: false },
      t.runtime.remediationClients!,
    );
    expect(outcome).toMatchObject({ result: "skipped", awsCalls: 0 });
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("where rules can't be looked up by id, revokes each by its exact definition", async () => {
    t.ec2.on(DescribeSecurityGroupRulesCommand).rejects(awsError("InvalidAction"));
    t.ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    t.ec2.on(RevokeSecurityGroupEgressCommand).resolves({ Return: true });
    const outcome = await remediation.apply(
      { state, violations, dryRun: false },
      t.runtime.remediationClients!,
    );
    expect(outcome.result).toBe("succeeded");
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
      {
        GroupId: GROUP,
        IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: GROUP, UserId: ACCOUNT }] }],
      },
    ]);
    expect(t.ec2.commandCalls(RevokeSecurityGroupEgressCommand).map((c) => c.args[0].input)).toEqual([
      { GroupId: GROUP, IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] },
    ]);
  });

  it("a group deleted meanwhile is already gone", async () => {
    t.ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });
    t.ec2.on(DescribeSecurityGroupRulesCommand).rejects(awsError("InvalidGroup.NotFound"));
    const outcome = await remediation.apply(
      { state, violations, dryRun: false },
      t.runtime.remediationClients!,
    );
    expect(outcome.result).toBe("already-gone");
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });

  it("undo tags the group exempt (keeping other exemptions), then re-authorizes exactly what was removed", async () => {
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [{ GroupId: GROUP, Tags: [{ Key: "vigil:exempt", Value: "EC2.18" }] }],
    });
    t.ec2.on(CreateTagsCommand).resolves({});
    t.ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    t.ec2.on(AuthorizeSecurityGroupEgressCommand).rejects(awsError("InvalidPermission.Duplicate"));
    const message = await remediation.undo(
      {
        remediationId: "remove-default-security-group-rules",
        params: {
          groupId: GROUP,
          ingress: [{ ...selfIn, ruleId: "sgr-in" }],
          egress: [{ ...allOut, ruleId: "sgr-out", description: "all out" }],
          exemptChecks: ["EC2.2"],
        },
      },
      t.runtime.remediationClients!,
    );
    expect(t.ec2.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "DescribeSecurityGroupsCommand",
      "CreateTagsCommand",
      "AuthorizeSecurityGroupIngressCommand",
      "AuthorizeSecurityGroupEgressCommand",
    ]);
    expect(t.ec2.commandCalls(CreateTagsCommand)[0]?.args[0].input.Tags).toContainEqual({
      Key: "vigil:exempt",
      Value: "EC2.18 EC2.2",
    });
    expect(t.ec2.commandCalls(AuthorizeSecurityGroupEgressCommand)[0]?.args[0].input).toEqual({
      GroupId: GROUP,
      IpPermissions: [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "all out" }] }],
    });
    expect(message).toBe(
      `restored on ${GROUP}: inbound all traffic from ${GROUP}; outbound all traffic to 0.0.0.0/0 (already present); ${GROUP} tagged vigil:exempt=EC2.18 EC2.2`,
    );
  });

  it("asks for the reads and revokes it makes; undo needs the operator's authorize and tag rights", () => {
    expect(remediation.iamActions).toEqual([
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSecurityGroupRules",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupEgress",
    ]);
    expect(remediation.undoIamActions).toEqual([
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:CreateTags",
      "ec2:DescribeSecurityGroups",
    ]);
    expect(remediation.disruptive).toBe(false);
  });
});
