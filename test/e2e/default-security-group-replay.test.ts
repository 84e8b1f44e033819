import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";

/**
 * EC2.2 end to end: a VPC's default group gets an outbound rule, `vigil replay --mode auto` on the
 * CloudTrail event removes every rule of the group (by id), and `vigil undo` puts them all back.
 */

const TIMEOUT = 60_000;

interface EgressEvent {
  detail: {
    requestParameters: { groupId: string };
    responseElements: { securityGroupRuleSet: { items: Record<string, unknown>[] } };
  };
}

interface ConfigEvent {
  detail: {
    configurationItem: {
      resourceId: string;
      configurationItemCaptureTime: string;
      configuration: { groupId: string; ipPermissions: Record<string, unknown>[] };
    };
  };
}

describe("EC2.2: vigil replay --mode auto, then vigil undo, against the local endpoint", () => {
  let h: CliHarness;
  let ec2: EC2Client;

  beforeAll(async () => {
    h = await startCliHarness();
    ec2 = new EC2Client(h.clientConfig);
  });
  afterAll(async () => {
    ec2?.destroy();
    await h?.close();
  });

  /** A new VPC (named by its first group) and its default group, as AWS creates it. */
  async function defaultGroupOf(vpcId: string): Promise<string> {
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: vpcId }));
    const out = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "group-name", Values: ["default"] },
        ],
      }),
    );
    return out.SecurityGroups?.[0]?.GroupId ?? "";
  }

  async function authorizeHttpsOut(groupId: string): Promise<SecurityGroupRule> {
    const out = await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "https out" }],
          },
        ],
      }),
    );
    const rule = out.SecurityGroupRules?.[0];
    if (!rule?.SecurityGroupRuleId) throw new Error("no rule id");
    return rule;
  }

  /** The sample event, rewritten for this group and the rule the endpoint created. */
  const eventFor = (groupId: string, rule: SecurityGroupRule) =>
    h.writeEvent<EgressEvent>("security-group/authorize-egress-default-group.json", (event) => {
      event.detail.requestParameters.groupId = groupId;
      event.detail.responseElements.securityGroupRuleSet.items = [
        {
          groupOwnerId: "111122223333",
          groupId,
          securityGroupRuleId: rule.SecurityGroupRuleId,
          isEgress: true,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: "0.0.0.0/0",
          description: "https out",
        },
      ];
    });

  const rulesOf = (groupId: string) =>
    (h.aws.ec2State.group(groupId)?.rules ?? [])
      .map(
        (r) =>
          `${r.isEgress ? "out" : "in"} ${r.ipProtocol} ${r.fromPort} ${r.cidrIpv4 ?? r.referencedGroupId} ${r.description ?? "-"}`,
      )
      .sort();
  const ec2Actions = (from: number) =>
    h.aws.requests
      .slice(from)
      .filter((r) => r.service === "ec2")
      .map((r) => r.action);

  describe("a default group nobody uses", () => {
    let groupId: string;
    let before: string[];
    let findingId: string;

    it(
      "removes exactly its three rules by id, with one read to name the group and one to list its rules",
      async () => {
        groupId = await defaultGroupOf("vpc-0e2e00000000000a1");
        const https = await authorizeHttpsOut(groupId);
        before = rulesOf(groupId);
        expect(before).toEqual([
          `in -1 -1 ${groupId} -`,
          "out -1 -1 0.0.0.0/0 -",
          "out tcp 443 0.0.0.0/0 https out",
        ]);
        const ids = (egress: boolean) =>
          (h.aws.ec2State.group(groupId)?.rules ?? [])
            .filter((r) => r.isEgress === egress)
            .map((r) => r.securityGroupRuleId);
        const [selfRule] = ids(false);
        const [allOut, httpsOut] = ids(true);
        expect(httpsOut).toBe(https.SecurityGroupRuleId);
        const file = await eventFor(groupId, https);
        const start = h.aws.requests.length;

        const result = await h.vigil(["replay", file, "--mode", "auto"]);
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(result.stdout).toContain(`remediation succeeded: removed from default group ${groupId}`);

        expect(ec2Actions(start)).toEqual([
          "DescribeSecurityGroups",
          "DescribeSecurityGroupRules",
          "DescribeNetworkInterfaces",
          "RevokeSecurityGroupIngress",
          "RevokeSecurityGroupEgress",
        ]);
        const [revokeIn] = h.aws.calls("ec2", "RevokeSecurityGroupIngress");
        expect(revokeIn?.params).toMatchObject({ GroupId: groupId, "SecurityGroupRuleId.1": selfRule });
        expect(revokeIn?.params).not.toHaveProperty("SecurityGroupRuleId.2");
        const [revokeOut] = h.aws.calls("ec2", "RevokeSecurityGroupEgress");
        expect(revokeOut?.params).toMatchObject({
          GroupId: groupId,
          "SecurityGroupRuleId.1": allOut,
          "SecurityGroupRuleId.2": httpsOut,
        });
        expect(revokeOut?.params).not.toHaveProperty("SecurityGroupRuleId.3");
        expect(rulesOf(groupId)).toEqual([]);

        const finding = (await h.findings()).find((f) => f.resourceId === groupId && f.checkId === "EC2.2");
        expect(finding).toMatchObject({
          status: "REMEDIATED",
          severity: "HIGH",
          actor: { arn: "arn:aws:iam::111122223333:user/alice.ops" },
          remediation: { mode: "auto", result: "succeeded" },
        });
        findingId = finding?.id ?? "";
        expect(h.alerts()).toHaveLength(1);
      },
      TIMEOUT,
    );

    it(
      "vigil undo tags the group exempt from EC2.2 and restores every rule, descriptions included",
      async () => {
        const result = await h.vigil(["undo", findingId]);
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(rulesOf(groupId)).toEqual(before);
        expect(h.aws.ec2State.group(groupId)?.tags).toMatchObject({
          "vigil:exempt": "EC2.2",
          "vigil:exempt-reason": "restored with vigil undo",
        });
        const finding = (await h.findings()).find((f) => f.id === findingId);
        expect(finding).toMatchObject({ status: "SUPPRESSED", remediation: { result: "undone" } });
      },
      TIMEOUT,
    );
  });

  it(
    "a Config item of a default group with world-open SSH: the SSH checks revoke their rule, EC2.2 the rest",
    async () => {
      const groupId = await defaultGroupOf("vpc-0e2e00000000000c3");
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
          ],
        }),
      );
      const file = await h.writeEvent<ConfigEvent>(
        "security-group/config-item-default-group-untouched.json",
        (event) => {
          const item = event.detail.configurationItem;
          const sshWorld = {
            ipProtocol: "tcp",
            fromPort: 22,
            toPort: 22,
            ipv6Ranges: [],
            prefixListIds: [],
            userIdGroupPairs: [],
            ipv4Ranges: [{ cidrIp: "0.0.0.0/0" }],
            ipRanges: ["0.0.0.0/0"],
          };
          item.resourceId = groupId;
          item.configurationItemCaptureTime = new Date().toISOString();
          item.configuration.groupId = groupId;
          item.configuration.ipPermissions = [
            {
              ...item.configuration.ipPermissions[0],
              userIdGroupPairs: [{ groupId, userId: "111122223333" }],
            },
            sshWorld,
          ];
        },
      );
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(rulesOf(groupId)).toEqual([]);
      const findings = (await h.findings()).filter((f) => f.resourceId === groupId);
      expect(new Map(findings.map((f) => [f.checkId, f.status]))).toEqual(
        new Map([
          ["EC2.19", "REMEDIATED"],
          ["EC2.13", "REMEDIATED"],
          ["EC2.53", "REMEDIATED"],
          ["EC2.18", "REMEDIATED"],
          ["EC2.2", "REMEDIATED"],
        ]),
      );
      // EC2.2 removed what was left: the SSH rule was already revoked by the SSH checks' remediation.
      expect(findings.find((f) => f.checkId === "EC2.2")?.remediation?.action).toMatch(
        new RegExp(
          `^removed from default group ${groupId}: inbound all traffic from ${groupId} \\(sgr-[0-9a-f]+\\); outbound all traffic to 0\\.0\\.0\\.0/0 \\(sgr-[0-9a-f]+\\)$`,
        ),
      );
    },
    TIMEOUT,
  );

  it(
    "a default group in use by a network interface is left alone and its finding stays OPEN",
    async () => {
      const groupId = await defaultGroupOf("vpc-0e2e00000000000b2");
      const https = await authorizeHttpsOut(groupId);
      const eni = h.aws.ec2State.addNetworkInterface([groupId]);
      const file = await eventFor(groupId, https);
      const revokes = () =>
        h.aws.calls("ec2", "RevokeSecurityGroupIngress").length +
        h.aws.calls("ec2", "RevokeSecurityGroupEgress").length;
      const revokesBefore = revokes();

      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(revokes()).toBe(revokesBefore);
      expect(rulesOf(groupId)).toHaveLength(3);
      const finding = (await h.findings()).find((f) => f.resourceId === groupId && f.checkId === "EC2.2");
      expect(finding).toMatchObject({ status: "OPEN", remediation: { result: "skipped" } });
      expect(finding?.remediation?.action).toContain(eni);
    },
    TIMEOUT,
  );
});
