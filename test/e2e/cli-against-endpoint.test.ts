import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  type IpPermission,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAwsOptions } from "../support/local-aws/server";

/**
 * Vigil's CLI in a child process against an AWS-compatible endpoint, the way outside checks drive it:
 * AWS_ENDPOINT_URL for every service, a security group with a world-open SSH rule, a CloudTrail event
 * for it, `replay --mode auto`, then the group's rules, the findings table and the SNS topic.
 */

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const SAMPLE = join(ROOT, "events/security-group/authorize-ssh-world-and-office-cidrs.json");
const SAMPLE_WITH_FOREIGN_IDS = join(ROOT, "events/security-group/authorize-ssh-world-ipv4.json");
const TABLE = "vigil-findings-e2e";
const ACTOR = "arn:aws:iam::111122223333:user/alice.ops";
const TIMEOUT = 60_000;

interface FindingJson {
  id: string;
  checkId: string;
  status: string;
  resourceId: string;
  actor: { arn?: string } | null;
  eventIds: string[];
  remediation: { mode: string; result: string; action: string } | null;
}

/** The parts of a sample CloudTrail event that are rewritten per test. */
interface AuthorizeEvent {
  id: string;
  time: string;
  detail: {
    eventID: string;
    eventTime: string;
    requestParameters: { groupId: string; ipPermissions: { items: unknown[] } };
    responseElements: { securityGroupRuleSet: { items: Record<string, unknown>[] } };
  };
}

const ssh = (cidr: string, description: string): IpPermission => ({
  IpProtocol: "tcp",
  FromPort: 22,
  ToPort: 22,
  IpRanges: [{ CidrIp: cidr, Description: description }],
});

/** An endpoint with an SNS topic, and the CLI and SDK pointed at it. */
async function startHarness(options: LocalAwsOptions = {}) {
  const aws = await startLocalAws(options);
  const config = {
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  const ec2 = new EC2Client(config);
  const sns = new SNSClient(config);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "vigil-alerts-e2e" }))).TopicArn ?? "";
  sns.destroy();

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    FINDINGS_TABLE: TABLE,
    ALERT_TOPIC_ARN: topicArn,
    REMEDIATION_ROLE_ARN: "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  };

  return {
    aws,
    topicArn,

    /** `node --import tsx shared/cli/main.ts …`, as the npm script runs it. */
    async vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      try {
        const cli = ["--import", "tsx", "shared/cli/main.ts", ...args];
        const { stdout, stderr } = await run(process.execPath, cli, { cwd: ROOT, env });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },

    /** `npm run vigil -- findings --json`, exactly as outside checks read the table. */
    async findingsOf(groupId: string): Promise<Map<string, FindingJson>> {
      const npm = ["run", "--silent", "vigil", "--", "findings", "--json"];
      const { stdout } = await run("npm", npm, { cwd: ROOT, env });
      const all = JSON.parse(stdout) as FindingJson[];
      return new Map(all.filter((f) => f.resourceId === groupId).map((f) => [f.checkId, f]));
    },

    async newGroup(permissions: IpPermission[]): Promise<{ groupId: string; rules: SecurityGroupRule[] }> {
      const name = `e2e-${randomUUID().slice(0, 8)}`;
      const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name }));
      const groupId = created.GroupId ?? "";
      const out = await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }),
      );
      return { groupId, rules: out.SecurityGroupRules ?? [] };
    },

    /** The group's ingress rules as `protocol port cidr description`, sorted. */
    ingressOf(groupId: string): string[] {
      return aws.ec2State
        .ingressRules(groupId)
        .map((r) => `${r.ipProtocol} ${r.fromPort} ${r.cidrIpv4 ?? r.cidrIpv6} ${r.description ?? "-"}`)
        .sort();
    },
    revokes: () => aws.calls("ec2", "RevokeSecurityGroupIngress"),
    alerts: () => aws.snsMessages.filter((m) => m.TopicArn === topicArn),

    async close(): Promise<void> {
      ec2.destroy();
      await aws.close();
    },
  };
}
type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * A sample event rewritten for this group, these rules (request and response) and fresh event ids.
 * With "keep sample rules" only the group id changes: the event names rule ids AWS doesn't know.
 */
async function writeEvent(
  dir: string,
  groupId: string,
  rules: SecurityGroupRule[] | "keep sample rules",
  sample = SAMPLE,
): Promise<{ file: string; eventId: string }> {
  const event = JSON.parse(await readFile(sample, "utf8")) as AuthorizeEvent;
  const eventId = randomUUID();
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  Object.assign(event, { id: eventId, time: now });
  Object.assign(event.detail, { eventID: randomUUID(), eventTime: now });
  event.detail.requestParameters.groupId = groupId;
  const response = event.detail.responseElements.securityGroupRuleSet;
  if (rules === "keep sample rules") {
    response.items = response.items.map((item) => ({ ...item, groupId }));
  } else {
    event.detail.requestParameters.ipPermissions.items = rules.map((r) => ({
      ipProtocol: r.IpProtocol,
      fromPort: r.FromPort,
      toPort: r.ToPort,
      groups: {},
      ipRanges: {
        items: [{ cidrIp: r.CidrIpv4, ...(r.Description ? { description: r.Description } : {}) }],
      },
      ipv6Ranges: {},
      prefixListIds: {},
    }));
    response.items = rules.map((r) => ({
      groupOwnerId: "111122223333",
      groupId,
      securityGroupRuleId: r.SecurityGroupRuleId,
      isEgress: false,
      ipProtocol: r.IpProtocol,
      fromPort: r.FromPort,
      toPort: r.ToPort,
      cidrIpv4: r.CidrIpv4,
      ...(r.Description ? { description: r.Description } : {}),
    }));
  }
  const file = join(dir, `${eventId}.json`);
  await writeFile(file, JSON.stringify(event, null, 2));
  return { file, eventId };
}

describe("vigil CLI against an AWS-compatible endpoint", () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    h = await startHarness();
    dir = await mkdtemp(join(tmpdir(), "vigil-e2e-"));
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe("a world-open SSH rule next to a VPN rule and a world-open HTTPS rule, --mode auto", () => {
    let groupId: string;
    let worldSsh: SecurityGroupRule;
    let event: { file: string; eventId: string };

    it(
      "revokes exactly the world-open SSH rule, records REMEDIATED findings and publishes one alert",
      async () => {
        const created = await h.newGroup([
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
        ]);
        groupId = created.groupId;
        expect(created.rules).toHaveLength(3);
        const found = created.rules.find((r) => r.FromPort === 22 && r.CidrIpv4 === "0.0.0.0/0");
        if (!found?.SecurityGroupRuleId) throw new Error("no world SSH rule id");
        worldSsh = found;
        event = await writeEvent(dir, groupId, created.rules);

        const result = await h.vigil(["replay", event.file, "--mode", "auto"]);
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(result.stdout).toContain(
          `remediation succeeded: revoked from ${groupId}: tcp 22 from 0.0.0.0/0`,
        );

        expect(h.ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16 vpn", "tcp 443 0.0.0.0/0 -"]);
        expect(h.revokes()).toHaveLength(1);
        expect(h.revokes()[0]?.params).toMatchObject({
          GroupId: groupId,
          "SecurityGroupRuleId.1": worldSsh.SecurityGroupRuleId,
        });
        expect(h.revokes()[0]?.params).not.toHaveProperty("SecurityGroupRuleId.2");

        const findings = await h.findingsOf(groupId);
        for (const checkId of ["EC2.19", "EC2.13", "EC2.53", "EC2.18"]) {
          const finding = findings.get(checkId);
          expect(finding, checkId).toMatchObject({
            status: "REMEDIATED",
            actor: { arn: ACTOR },
            remediation: { result: "succeeded" },
          });
          expect(finding?.eventIds).toContain(event.eventId);
        }

        const messages = h.alerts();
        expect(messages).toHaveLength(1);
        const [alert] = messages;
        expect(alert?.Subject?.length).toBeLessThan(100);
        expect(alert?.MessageAttributes.severity).toEqual({ DataType: "String", StringValue: "CRITICAL" });
        expect(alert?.MessageAttributes.checkId?.DataType).toBe("String.Array");
        expect(JSON.parse(alert?.MessageAttributes.checkId?.StringValue ?? "[]")).toEqual(
          expect.arrayContaining(["EC2.19", "EC2.13"]),
        );
        expect(alert?.Message).toContain(groupId);
      },
      TIMEOUT,
    );

    it(
      "replaying the same event revokes nothing more and alerts no more",
      async () => {
        const result = await h.vigil(["replay", event.file, "--mode", "auto"]);
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(h.revokes()).toHaveLength(1);
        expect(h.alerts()).toHaveLength(1);
        expect(h.ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16 vpn", "tcp 443 0.0.0.0/0 -"]);
      },
      TIMEOUT,
    );

    it(
      "undo restores the rule and tags the group exempt; a new event for the rule revokes nothing",
      async () => {
        const ssh13 = (await h.findingsOf(groupId)).get("EC2.13");
        expect(ssh13).toBeDefined();
        const result = await h.vigil(["undo", ssh13?.id ?? ""]);
        expect(result, result.stderr).toMatchObject({ code: 0 });
        expect(h.ingressOf(groupId)).toEqual([
          "tcp 22 0.0.0.0/0 anyone",
          "tcp 22 10.20.0.0/16 vpn",
          "tcp 443 0.0.0.0/0 -",
        ]);
        const exempt = h.aws.ec2State.group(groupId)?.tags["vigil:exempt"] ?? "";
        expect(exempt.split(" ").sort()).toEqual(["EC2.13", "EC2.18", "EC2.19", "EC2.53"]);

        const restored = h.aws.ec2State
          .ingressRules(groupId)
          .find((r) => r.fromPort === 22 && r.cidrIpv4 === "0.0.0.0/0");
        expect(restored?.securityGroupRuleId).not.toBe(worldSsh.SecurityGroupRuleId);
        const again = await writeEvent(dir, groupId, [
          { ...worldSsh, SecurityGroupRuleId: restored?.securityGroupRuleId },
        ]);
        const replayed = await h.vigil(["replay", again.file, "--mode", "auto"]);
        expect(replayed, replayed.stderr).toMatchObject({ code: 0 });
        expect(replayed.stdout).toContain("EC2.13=SUPPRESSED");
        expect(replayed.stdout).not.toMatch(/^\s+remediation /m);
        expect(h.revokes()).toHaveLength(1);
        expect(h.ingressOf(groupId)).toContain("tcp 22 0.0.0.0/0 anyone");
        const ssh13After = (await h.findingsOf(groupId)).get("EC2.13");
        expect(ssh13After?.status).toBe("SUPPRESSED");
        expect(ssh13After?.eventIds).toContain(again.eventId);
      },
      TIMEOUT,
    );
  });

  it(
    "an event naming rule ids the endpoint doesn't know still gets the world-open rule revoked (by value)",
    async () => {
      const { groupId, rules } = await h.newGroup([ssh("0.0.0.0/0", "temp ssh for debugging")]);
      const realId = rules[0]?.SecurityGroupRuleId;
      const before = h.revokes().length;
      const event = await writeEvent(dir, groupId, "keep sample rules", SAMPLE_WITH_FOREIGN_IDS);

      const result = await h.vigil(["replay", event.file, "--mode", "auto"]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(h.ingressOf(groupId)).toEqual([]);
      const attempts = h.revokes().slice(before);
      expect(attempts.map((r) => r.params["SecurityGroupRuleId.1"])).toEqual([
        "sgr-0d27a9c4e81f35b60",
        realId,
      ]);
      expect((await h.findingsOf(groupId)).get("EC2.13")).toMatchObject({
        status: "REMEDIATED",
        remediation: { result: "succeeded" },
      });
    },
    TIMEOUT,
  );

  it(
    "without --mode or VIGIL_CONFIG the default modes apply: EC2.19 auto, EC2.18 alone dry-run",
    async () => {
      const { groupId, rules } = await h.newGroup([
        ssh("0.0.0.0/0", "anyone"),
        { IpProtocol: "tcp", FromPort: 9090, ToPort: 9090, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
      ]);
      const event = await writeEvent(dir, groupId, rules);
      const result = await h.vigil(["replay", event.file]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain("remediation per check");
      // SSH goes (EC2.19/13/53 are auto); 9090 is only EC2.18's, which defaults to dry-run.
      expect(h.ingressOf(groupId)).toEqual(["tcp 9090 0.0.0.0/0 -"]);
      const findings = await h.findingsOf(groupId);
      expect(findings.get("EC2.19")).toMatchObject({
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(findings.get("EC2.18")).toMatchObject({
        status: "OPEN",
        remediation: { mode: "dry-run", result: "planned" },
      });
    },
    TIMEOUT,
  );
});

describe("vigil CLI against an endpoint without DescribeSecurityGroupRules", () => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    h = await startHarness({ unsupportedActions: ["DescribeSecurityGroupRules"] });
    dir = await mkdtemp(join(tmpdir(), "vigil-e2e-"));
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    "revokes by value when the event's rule id is unknown and rules can't be looked up",
    async () => {
      const { groupId } = await h.newGroup([
        ssh("0.0.0.0/0", "temp ssh for debugging"),
        ssh("10.20.0.0/16", "vpn"),
      ]);
      const event = await writeEvent(dir, groupId, "keep sample rules", SAMPLE_WITH_FOREIGN_IDS);

      const result = await h.vigil(["replay", event.file, "--mode", "auto"]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(h.ingressOf(groupId)).toEqual(["tcp 22 10.20.0.0/16 vpn"]);
      const [byId, byValue, ...more] = h.revokes();
      expect(byId?.params["SecurityGroupRuleId.1"]).toBe("sgr-0d27a9c4e81f35b60");
      expect(byValue?.params).toMatchObject({
        GroupId: groupId,
        "IpPermissions.1.IpProtocol": "tcp",
        "IpPermissions.1.FromPort": "22",
        "IpPermissions.1.ToPort": "22",
        "IpPermissions.1.IpRanges.1.CidrIp": "0.0.0.0/0",
      });
      expect(more).toEqual([]);
      expect((await h.findingsOf(groupId)).get("EC2.19")).toMatchObject({
        status: "REMEDIATED",
        remediation: { result: "succeeded" },
      });
    },
    TIMEOUT,
  );
});
