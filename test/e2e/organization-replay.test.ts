import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingId } from "../../shared/findings/id";
import { startCliHarness, type CliHarness, type FindingJson } from "../support/cli-harness";
import type { RequestRecord } from "../support/local-aws/server";
import type { StsDouble } from "../support/local-aws/sts";

/**
 * Organisation mode end to end: `vigil replay` in a child process against the local endpoint, as
 * the central account (VIGIL_HOME_ACCOUNT) with a member account's CloudTrail event forwarded from
 * another Region. The finding lands in the central table under the member account and Region, and
 * the revoke reaches EC2 signed with the credentials STS issued for the member role (asked with
 * the ExternalId), in the event's Region. STS is the local double: it issues keys only for the
 * role and ExternalId the test allows, and the endpoint records which key signed each request.
 */

const TIMEOUT = 60_000;
const HOME = "111122223333";
const MEMBER = "222233334444";
const MEMBER_REGION = "eu-west-1";
const EXTERNAL_ID = "vigil-o-a1b2c3d4e5-central";
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/vigil-remediation-member`;
const MEMBER_SAMPLE = "organization/authorize-ssh-world-member-account.json";
const HOME_SAMPLE = "security-group/authorize-ssh-world-ipv4.json";
/** The harness's own credentials: the central account's function, or the operator. */
const HOME_KEY = "test";
/** The harness's REMEDIATION_ROLE_ARN: the central account's remediation role. */
const HOME_ROLE = "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1";

const organization = (externalId = EXTERNAL_ID, enabled = true) => ({
  organization: {
    enabled,
    organizationId: "o-a1b2c3d4e5",
    organizationalUnits: ["ou-ab12-cdef3456"],
    externalId,
  },
  forwarding: { regions: [MEMBER_REGION] },
});

interface AuthorizeEvent {
  account: string;
  region: string;
  detail: {
    requestParameters: { groupId: string; ipPermissions: { items: unknown[] } };
    responseElements: { securityGroupRuleSet: { items: Record<string, unknown>[] } };
  };
}

describe("organisation mode: a member account's event through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let sts: StsDouble;

  beforeAll(async () => {
    h = await startCliHarness();
    ec2 = new EC2Client({ ...h.clientConfig, region: MEMBER_REGION });
    sts = h.aws.double<StsDouble>("sts");
    // The harness's key stands for the central account's function (or operator).
    sts.addCaller(HOME_KEY, HOME);
    // The member role's trust: the central account, with the organisation's ExternalId.
    sts.allowRole(MEMBER_ROLE, { externalId: EXTERNAL_ID });
  }, TIMEOUT);
  afterAll(async () => {
    ec2.destroy();
    await h?.close();
  });

  const replay = (file: string, config: object, env: NodeJS.ProcessEnv = {}) =>
    h.vigil(["replay", file, "--mode", "auto"], {
      VIGIL_CONFIG: JSON.stringify(config),
      VIGIL_HOME_ACCOUNT: HOME,
      ...env,
    });

  /** A group with a world-open SSH rule and a VPN one (the group stands for one in the member account). */
  async function newGroup(): Promise<{ groupId: string; rules: SecurityGroupRule[] }> {
    const name = `org-${randomUUID().slice(0, 8)}`;
    const { GroupId = "" } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: name, Description: name }),
    );
    const { SecurityGroupRules = [] } = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            IpRanges: [
              { CidrIp: "0.0.0.0/0", Description: "temp ssh for debugging" },
              { CidrIp: "10.20.0.0/16", Description: "vpn" },
            ],
          },
        ],
      }),
    );
    return { groupId: GroupId, rules: SecurityGroupRules };
  }

  /** The sample rewritten for the group and its world-open rule (fresh ids and times), optionally in another Region. */
  const eventFor = (sample: string, groupId: string, rules: SecurityGroupRule[], region?: string) =>
    h.writeEvent<AuthorizeEvent & { detail: { awsRegion: string } }>(sample, (event) => {
      if (region) {
        event.region = region;
        event.detail.awsRegion = region;
      }
      const world = rules.filter((r) => r.CidrIpv4 === "0.0.0.0/0");
      event.detail.requestParameters.groupId = groupId;
      event.detail.requestParameters.ipPermissions.items = world.map((r) => ({
        ipProtocol: r.IpProtocol,
        fromPort: r.FromPort,
        toPort: r.ToPort,
        groups: {},
        ipRanges: { items: [{ cidrIp: r.CidrIpv4, description: r.Description }] },
        ipv6Ranges: {},
        prefixListIds: {},
      }));
      event.detail.responseElements.securityGroupRuleSet.items = world.map((r) => ({
        groupOwnerId: event.account,
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

  const ingressOf = (groupId: string) =>
    h.aws.ec2State
      .ingressRules(groupId)
      .map((r) => `${r.ipProtocol} ${r.fromPort} ${r.cidrIpv4}`)
      .sort();
  const since = (from: number, service: string) =>
    h.aws.requests.slice(from).filter((r) => r.service === service);
  const signer = (r: RequestRecord) => h.aws.signatureOf(r);
  const ssh13Of = async (groupId: string): Promise<FindingJson | undefined> =>
    (await h.findings()).find((f) => f.resourceId === groupId && f.checkId === "EC2.13");

  let member: { groupId: string; findingId: string };

  it(
    "lands in the central store under the member account and Region, and is revoked as the member role",
    async () => {
      const { groupId, rules } = await newGroup();
      const file = await eventFor(MEMBER_SAMPLE, groupId, rules);
      const from = h.aws.requests.length;
      const issuedBefore = sts.issued.length;

      const result = await replay(file, organization());
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain(
        `remediation succeeded: revoked from ${groupId}: tcp 22 from 0.0.0.0/0`,
      );
      expect(ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16"]);

      // One AssumeRole, with the ExternalId, for reads and the revoke alike; no GetCallerIdentity (VIGIL_HOME_ACCOUNT).
      const stsCalls = since(from, "sts");
      expect(stsCalls.map((r) => [r.action, r.params])).toEqual([
        [
          "AssumeRole",
          {
            RoleArn: MEMBER_ROLE,
            RoleSessionName: expect.any(String),
            ExternalId: EXTERNAL_ID,
            DurationSeconds: "900",
          },
        ],
      ]);
      expect(sts.issued.slice(issuedBefore)).toHaveLength(1);
      const session = sts.issued.at(-1);
      expect(session).toMatchObject({
        roleArn: MEMBER_ROLE,
        externalId: EXTERNAL_ID,
        callerAccessKeyId: HOME_KEY,
      });

      // Every EC2 request (the tag read and the revoke) went to the event's Region with the member role's key.
      const ec2Calls = since(from, "ec2");
      const revokes = ec2Calls.filter((r) => r.action === "RevokeSecurityGroupIngress");
      expect(revokes).toHaveLength(1);
      expect(revokes[0]?.params).toMatchObject({ GroupId: groupId });
      for (const call of ec2Calls)
        expect(signer(call), call.action).toEqual({
          accessKeyId: session?.accessKeyId,
          region: MEMBER_REGION,
        });
      // The central table and the alert topic: the central account's own credentials.
      for (const call of [...since(from, "dynamodb"), ...since(from, "sns")])
        expect(signer(call)?.accessKeyId, call.action).toBe(HOME_KEY);

      const finding = await ssh13Of(groupId);
      const id = findingId({
        account: MEMBER,
        region: MEMBER_REGION,
        checkId: "EC2.13",
        resourceId: groupId,
      });
      expect(finding).toMatchObject({
        id,
        account: MEMBER,
        region: MEMBER_REGION,
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect((finding as { resourceArn?: string } | undefined)?.resourceArn).toBe(
        `arn:aws:ec2:${MEMBER_REGION}:${MEMBER}:security-group/${groupId}`,
      );
      member = { groupId, findingId: id };
    },
    TIMEOUT,
  );

  it(
    "undo puts the rule back in the member account, as the member role",
    async () => {
      expect(member).toBeDefined();
      const from = h.aws.requests.length;
      const result = await h.vigil(["undo", member.findingId], {
        VIGIL_CONFIG: JSON.stringify(organization()),
        VIGIL_HOME_ACCOUNT: HOME,
      });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(ingressOf(member.groupId)).toEqual(["tcp 22 0.0.0.0/0", "tcp 22 10.20.0.0/16"]);
      const key = sts.issued.at(-1)?.accessKeyId;
      expect(sts.issued.at(-1)).toMatchObject({ roleArn: MEMBER_ROLE, externalId: EXTERNAL_ID });
      const writes = since(from, "ec2").filter((r) => !r.action.startsWith("Describe"));
      expect(writes.map((r) => r.action).sort()).toEqual(["AuthorizeSecurityGroupIngress", "CreateTags"]);
      for (const call of writes) expect(signer(call)).toEqual({ accessKeyId: key, region: MEMBER_REGION });
      expect((await ssh13Of(member.groupId))?.status).toBe("SUPPRESSED");
    },
    TIMEOUT,
  );

  it(
    "an event from the central account itself is handled with its own credentials: no AssumeRole",
    async () => {
      const { groupId, rules } = await newGroup();
      const file = await eventFor(HOME_SAMPLE, groupId, rules);
      const from = h.aws.requests.length;

      const result = await replay(file, organization());
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16"]);
      expect(since(from, "sts")).toEqual([]);
      const revokes = since(from, "ec2").filter((r) => r.action === "RevokeSecurityGroupIngress");
      expect(revokes.map(signer)).toEqual([{ accessKeyId: HOME_KEY, region: "us-east-1" }]);
      expect(await ssh13Of(groupId)).toMatchObject({
        account: HOME,
        region: "us-east-1",
        status: "REMEDIATED",
      });
    },
    TIMEOUT,
  );

  it(
    "a wrong ExternalId: AssumeRole is denied, the finding is recorded OPEN and nothing is sent to EC2",
    async () => {
      const { groupId, rules } = await newGroup();
      const file = await eventFor(MEMBER_SAMPLE, groupId, rules);
      const from = h.aws.requests.length;

      const result = await replay(file, organization("not-the-organisations-id"));
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(since(from, "sts").map((r) => [r.action, r.params.ExternalId])).toEqual([
        ["AssumeRole", "not-the-organisations-id"],
      ]);
      expect(since(from, "ec2")).toEqual([]);
      expect(ingressOf(groupId)).toEqual(["tcp 22 0.0.0.0/0", "tcp 22 10.20.0.0/16"]);
      const finding = await ssh13Of(groupId);
      expect(finding).toMatchObject({ account: MEMBER, region: MEMBER_REGION, status: "OPEN" });
      expect(finding?.remediation).toMatchObject({ mode: "auto", result: "skipped" });
      expect(finding?.remediation?.action).toContain(`could not assume ${MEMBER_ROLE}`);
      expect(finding?.remediation?.action).toContain("AccessDenied");
      expect(result.stdout).toContain(`remediation skipped: held back: could not assume ${MEMBER_ROLE}`);
    },
    TIMEOUT,
  );

  it(
    "organisation mode off: a member account's event is recorded, with no AssumeRole and no EC2 request",
    async () => {
      const { groupId, rules } = await newGroup();
      const file = await eventFor(MEMBER_SAMPLE, groupId, rules);
      const from = h.aws.requests.length;

      const result = await replay(file, organization(EXTERNAL_ID, false));
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(since(from, "sts")).toEqual([]);
      expect(since(from, "ec2")).toEqual([]);
      const finding = await ssh13Of(groupId);
      expect(finding).toMatchObject({ account: MEMBER, region: MEMBER_REGION, status: "OPEN" });
      expect(finding?.remediation?.action).toBe(
        `held back: account ${MEMBER} is not Vigil's own (${HOME}) and organisation mode is off`,
      );
    },
    TIMEOUT,
  );

  describe("as the Lambda functions run: the home account remediates through its remediation role", () => {
    const lambda = { VIGIL_ASSUME_REMEDIATION_ROLE: "true" };
    beforeAll(() => sts.allowRole(HOME_ROLE));

    it(
      "a home-account event forwarded from another Region: read there as the function, revoked there as the home role",
      async () => {
        const { groupId, rules } = await newGroup();
        const file = await eventFor(HOME_SAMPLE, groupId, rules, MEMBER_REGION);
        const from = h.aws.requests.length;

        const result = await replay(file, organization(), lambda);
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16"]);
        expect(since(from, "sts").map((r) => [r.action, r.params])).toEqual([
          ["AssumeRole", { RoleArn: HOME_ROLE, RoleSessionName: expect.any(String), DurationSeconds: "900" }],
        ]);
        const key = sts.issued.at(-1)?.accessKeyId;
        const ec2Calls = since(from, "ec2");
        expect(ec2Calls.map((r) => [r.action, signer(r)])).toEqual([
          ["DescribeSecurityGroups", { accessKeyId: HOME_KEY, region: MEMBER_REGION }],
          ["RevokeSecurityGroupIngress", { accessKeyId: key, region: MEMBER_REGION }],
        ]);
        expect(await ssh13Of(groupId)).toMatchObject({
          account: HOME,
          region: MEMBER_REGION,
          status: "REMEDIATED",
        });
      },
      TIMEOUT,
    );

    it(
      "a member account's event: its role is assumed with the function's own credentials, not the home role's",
      async () => {
        const { groupId, rules } = await newGroup();
        const file = await eventFor(MEMBER_SAMPLE, groupId, rules);
        const from = h.aws.requests.length;

        const result = await replay(file, organization(), lambda);
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16"]);
        expect(since(from, "sts").map((r) => [r.params.RoleArn, signer(r)?.accessKeyId])).toEqual([
          [MEMBER_ROLE, HOME_KEY],
        ]);
        const key = sts.issued.at(-1)?.accessKeyId;
        expect(since(from, "ec2").map((r) => [r.action, signer(r)])).toEqual([
          ["DescribeSecurityGroups", { accessKeyId: key, region: MEMBER_REGION }],
          ["RevokeSecurityGroupIngress", { accessKeyId: key, region: MEMBER_REGION }],
        ]);
      },
      TIMEOUT,
    );
  });
});
