import { randomUUID } from "node:crypto";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoFindingsStore } from "../../shared/findings/dynamo-store";
import type { Finding } from "../../shared/findings/model";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import type { StsDouble } from "../support/local-aws/sts";

/**
 * `vigil approve` in a child process against the local AWS-compatible endpoint: a world-open SSH
 * rule replayed in dry-run leaves an OPEN finding with a planned revoke; approving it re-reads the
 * group and revokes exactly that rule through the normal pipeline, and the finding records who
 * approved it. Each refusal changes nothing.
 */

const SAMPLE = "security-group/authorize-ssh-world-and-office-cidrs.json";
const TIMEOUT = 90_000;
const TABLE = "vigil-findings-e2e";
// The operator the harness's key stands for, as STS names them (GetCallerIdentity).
const CALLER = "arn:aws:iam::111122223333:user/alice.ops";

interface AuthorizeEvent {
  detail: {
    requestParameters: { groupId: string; ipPermissions: { items: unknown[] } };
    responseElements: { securityGroupRuleSet: { items: Record<string, unknown>[] } };
  };
}

describe("vigil approve against an AWS-compatible endpoint", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let dynamo: DynamoDBClient;
  let store: DynamoFindingsStore;

  beforeAll(async () => {
    h = await startCliHarness();
    h.aws
      .double<StsDouble>("sts")
      .addCaller(h.clientConfig.credentials.accessKeyId, "111122223333", "alice.ops");
    ec2 = new EC2Client(h.clientConfig);
    dynamo = new DynamoDBClient(h.clientConfig);
    store = new DynamoFindingsStore({ client: dynamo, tableName: TABLE });
  });
  afterAll(async () => {
    ec2?.destroy();
    dynamo?.destroy();
    await h?.close();
  });

  /** A group with SSH open to the world and to the VPN, plus HTTPS to the world (allowed). */
  async function newGroup(): Promise<{ groupId: string; rules: SecurityGroupRule[] }> {
    const name = `approve-${randomUUID().slice(0, 8)}`;
    const { GroupId: groupId = "" } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: name, Description: name }),
    );
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            IpRanges: [
              { CidrIp: "0.0.0.0/0", Description: "anyone" },
              { CidrIp: "10.20.0.0/16", Description: "vpn" },
            ],
          },
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    return { groupId, rules: out.SecurityGroupRules ?? [] };
  }

  /** The sample CloudTrail event rewritten for the group's SSH rules, replayed in `mode`. */
  async function replay(groupId: string, rules: SecurityGroupRule[], mode: string): Promise<void> {
    const ssh = rules.filter((r) => r.FromPort === 22);
    const file = await h.writeEvent<AuthorizeEvent>(SAMPLE, (event) => {
      event.detail.requestParameters.groupId = groupId;
      event.detail.responseElements.securityGroupRuleSet.items = ssh.map((r) => ({
        groupOwnerId: "111122223333",
        groupId,
        securityGroupRuleId: r.SecurityGroupRuleId,
        isEgress: false,
        ipProtocol: r.IpProtocol,
        fromPort: r.FromPort,
        toPort: r.ToPort,
        cidrIpv4: r.CidrIpv4,
        description: r.Description,
      }));
    });
    const result = await h.vigil(["replay", file, "--mode", mode]);
    expect(result, result.stderr).toMatchObject({ code: 0 });
  }

  async function findingOf(groupId: string, checkId: string): Promise<Finding> {
    const found = (await store.list()).find((f) => f.resource.id === groupId && f.checkId === checkId);
    if (!found) throw new Error(`no ${checkId} finding for ${groupId}`);
    return found;
  }

  const ingressOf = (groupId: string) =>
    h.aws.ec2State
      .ingressRules(groupId)
      .map((r) => `${r.ipProtocol} ${r.fromPort} ${r.cidrIpv4 ?? r.cidrIpv6}`)
      .sort();
  const revokesOf = (groupId: string) =>
    h.aws.calls("ec2", "RevokeSecurityGroupIngress").filter((c) => c.params?.GroupId === groupId);

  it(
    "runs the planned revoke after re-reading the group, records the approval, and a second approval does nothing",
    async () => {
      const { groupId, rules } = await newGroup();
      const worldSsh = rules.find((r) => r.FromPort === 22 && r.CidrIpv4 === "0.0.0.0/0");
      await replay(groupId, rules, "dry-run");
      const planned = await findingOf(groupId, "EC2.13");
      expect(planned).toMatchObject({ status: "OPEN", remediation: { mode: "dry-run", result: "planned" } });
      expect(revokesOf(groupId)).toHaveLength(0);
      const alertsBefore = h.alerts().length;

      const approved = await h.vigil(["approve", planned.id, "--as", "alice"]);
      expect(approved, approved.stderr).toMatchObject({ code: 0 });
      expect(approved.stdout).toContain(
        `${planned.id} approved by alice via cli; remediated: revoked from ${groupId}`,
      );

      // Exactly the world-open SSH rule went, by its id (looked up on the live group).
      expect(ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16", "tcp 443 0.0.0.0/0"]);
      expect(revokesOf(groupId)).toHaveLength(1);
      expect(revokesOf(groupId)[0]?.params).toMatchObject({
        GroupId: groupId,
        "SecurityGroupRuleId.1": worldSsh?.SecurityGroupRuleId,
      });
      // The group was read again before acting.
      expect(
        h.aws.calls("ec2", "DescribeSecurityGroups").some((c) => c.params?.["GroupId.1"] === groupId),
      ).toBe(true);

      const finding = await findingOf(groupId, "EC2.13");
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
        approval: {
          by: "alice",
          principal: CALLER,
          via: "cli",
          outcome: "remediated",
          plan: { remediationId: "revoke-security-group-ingress", time: planned.remediation?.time },
        },
      });
      expect(finding.remediation?.undo).toBeDefined();
      // The same revoke fixed the other checks' findings on that rule: they say whose approval did it.
      const sibling = await findingOf(groupId, "EC2.19");
      expect(sibling).toMatchObject({
        status: "REMEDIATED",
        approval: { by: "alice", outcome: "remediated", approvedFindingId: planned.id },
      });
      // The normal alert announces the remediation.
      expect(h.alerts().length).toBe(alertsBefore + 1);

      const again = await h.vigil(["approve", planned.id, "--as", "bob"]);
      expect(again.code).toBe(1);
      expect(again.stdout).toContain("was already approved by alice via cli");
      expect(revokesOf(groupId)).toHaveLength(1);
      expect((await findingOf(groupId, "EC2.13")).approval?.by).toBe("alice");
      // Approving a sibling the approval already covered is the same double approval.
      const sibling2 = await h.vigil(["approve", sibling.id, "--as", "bob"]);
      expect(sibling2.code).toBe(1);
      expect(sibling2.stdout).toContain(
        `already approved by alice via cli at ${finding.approval?.at} (with ${planned.id})`,
      );
    },
    TIMEOUT,
  );

  it(
    "revokes nothing when the rule was removed in between: the finding resolves with the reason",
    async () => {
      const { groupId, rules } = await newGroup();
      await replay(groupId, rules, "dry-run");
      const planned = await findingOf(groupId, "EC2.13");
      const worldSsh = rules.find((r) => r.FromPort === 22 && r.CidrIpv4 === "0.0.0.0/0");
      await ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          SecurityGroupRuleIds: [worldSsh?.SecurityGroupRuleId ?? ""],
        }),
      );
      expect(revokesOf(groupId)).toHaveLength(1); // the operator's own fix

      // Without --as the approver is the caller STS names.
      const result = await h.vigil(["approve", planned.id]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${planned.id} approved by ${CALLER} via cli; resolved:`);
      expect(result.stdout).toContain(
        "resolved: re-read before acting, the resource no longer violates EC2.13",
      );
      expect(revokesOf(groupId)).toHaveLength(1);
      expect(ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16", "tcp 443 0.0.0.0/0"]);
      expect(await findingOf(groupId, "EC2.13")).toMatchObject({
        status: "RESOLVED",
        remediation: { mode: "dry-run", result: "planned" },
        approval: { by: CALLER, principal: CALLER, outcome: "resolved" },
      });
    },
    TIMEOUT,
  );

  it(
    "refuses, changing nothing: unknown finding, not open, nothing planned, and usage errors",
    async () => {
      const unknown = await h.vigil(["approve", "vf-000000000000000000000000", "--as", "alice"]);
      expect(unknown).toMatchObject({ code: 1 });
      expect(unknown.stdout).toContain("no finding vf-000000000000000000000000");

      const auto = await newGroup();
      await replay(auto.groupId, auto.rules, "auto");
      const remediated = await findingOf(auto.groupId, "EC2.13");
      expect(remediated.status).toBe("REMEDIATED");
      const notOpen = await h.vigil(["approve", remediated.id, "--as", "alice"]);
      expect(notOpen.code).toBe(1);
      expect(notOpen.stdout).toContain(`finding ${remediated.id} is REMEDIATED, not OPEN`);

      const off = await newGroup();
      await replay(off.groupId, off.rules, "off");
      const reported = await findingOf(off.groupId, "EC2.13");
      expect(reported).toMatchObject({ status: "OPEN", remediation: { mode: "off", result: "skipped" } });
      const nothing = await h.vigil(["approve", reported.id, "--as", "alice"]);
      expect(nothing.code).toBe(1);
      expect(nothing.stdout).toContain(
        "has no planned (dry-run) remediation to approve (last remediation: off, skipped)",
      );
      expect(revokesOf(off.groupId)).toHaveLength(0);
      expect((await findingOf(off.groupId, "EC2.13")).approval).toBeUndefined();

      expect((await h.vigil(["approve"])).code).toBe(2);
      expect((await h.vigil(["approve", "a", "b"])).code).toBe(2);
      const badOption = await h.vigil(["approve", reported.id, "--by", "x"]);
      expect(badOption.code).toBe(2);
      expect(badOption.stderr).toContain("Usage: npm run vigil -- approve <finding-id>");
    },
    TIMEOUT,
  );
});
