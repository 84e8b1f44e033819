import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startCliHarness, type CliHarness } from "../support/cli-harness";
import { blockText, TOKEN } from "../notifiers/router-support";
import { startLocalSlack, type LocalSlack } from "../notifiers/slack-server";

/**
 * Bot-token mode end to end: `vigil replay` in a child process against the AWS-compatible endpoint
 * (DynamoDB, EC2, SNS, Secrets Manager) and a local Slack Web API. A dry-run alert is posted with the
 * approve command and button; the same finding remediated later updates that very message (same ts).
 */

const CHANNEL = "C0SECURITY1";
const TIMEOUT = 90_000;

interface SshEvent {
  id: string;
  time: string;
  detail: {
    eventID: string;
    eventTime: string;
    requestParameters: { groupId: string };
    responseElements: { securityGroupRuleSet: { items: Record<string, unknown>[] } };
  };
}

describe("Slack bot mode through the CLI", () => {
  let h: CliHarness;
  let slack: LocalSlack;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let groupId: string;
  let ruleId: string;

  /** The sample world-open SSH event, for this group and rule, with fresh ids. */
  async function eventFile(): Promise<string> {
    const sample = join(ROOT, "events/security-group/authorize-ssh-world-ipv4.json");
    const event = JSON.parse(await readFile(sample, "utf8")) as SshEvent;
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    Object.assign(event, { id: randomUUID(), time: now });
    Object.assign(event.detail, { eventID: randomUUID(), eventTime: now });
    event.detail.requestParameters.groupId = groupId;
    event.detail.responseElements.securityGroupRuleSet.items =
      event.detail.responseElements.securityGroupRuleSet.items.map((item) => ({
        ...item,
        groupId,
        securityGroupRuleId: ruleId,
      }));
    const file = join(dir, `${event.id}.json`);
    await writeFile(file, JSON.stringify(event));
    return file;
  }

  beforeAll(async () => {
    h = await startCliHarness();
    slack = await startLocalSlack(TOKEN);
    dir = await mkdtemp(join(tmpdir(), "vigil-slack-e2e-"));
    const secrets = new SecretsManagerClient(h.clientConfig);
    const { ARN } = await secrets.send(
      new CreateSecretCommand({ Name: "vigil-slack-bot", SecretString: TOKEN }),
    );
    secrets.destroy();
    const ec2 = new EC2Client(h.clientConfig);
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "slack-e2e", Description: "e2e" }),
    );
    groupId = group.GroupId ?? "";
    const rules = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "temp ssh for debugging" }],
          },
        ],
      }),
    );
    ec2.destroy();
    ruleId = rules.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? "";
    env = {
      SLACK_BOT_TOKEN_SECRET_ARN: ARN,
      SLACK_API_BASE_URL: slack.baseUrl,
      VIGIL_CONFIG: JSON.stringify({
        notifications: { slack: { defaultChannel: CHANNEL, interactivity: true } },
      }),
      POWERTOOLS_LOG_LEVEL: "DEBUG",
    };
  }, TIMEOUT);

  afterAll(async () => {
    await slack?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let ts: string;

  it(
    "dry-run: posts one message with the approve command and an Approve button per planned finding",
    async () => {
      const result = await h.vigil(["replay", await eventFile(), "--mode", "dry-run"], env);
      expect(result, result.stderr).toMatchObject({ code: 0 });

      expect(slack.requests.map((r) => r.method)).toEqual(["chat.postMessage"]);
      const [post] = slack.requests;
      expect(post?.authorization).toBe(`Bearer ${TOKEN}`);
      expect(post?.body.channel).toBe(CHANNEL);
      const findings = (await h.findings()).filter((f) => f.resourceId === groupId);
      expect(findings.length).toBeGreaterThan(0);
      const planned = findings.filter((f) => f.remediation?.result === "planned");
      expect(planned.length).toBeGreaterThan(0);
      const buttons = (
        post?.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
      )
        .filter((b) => b.type === "actions")
        .flatMap((b) => b.elements ?? []);
      expect(buttons.map((b) => [b.action_id, b.value]).sort()).toEqual(
        planned.map((f) => ["vigil_approve", f.id]).sort(),
      );
      for (const f of planned) expect(blockText(post!.body)).toContain(`npm run vigil -- approve ${f.id}`);
      // The default route also publishes to the stack's topic, which says how to approve too.
      expect(h.alerts()).toHaveLength(1);
      expect(h.alerts()[0]?.Message).toContain("Approve: npm run vigil -- approve ");
      ts = [...slack.messages.keys()][0]!.split("/")[1]!;
      // The token never reaches the output or the logs.
      expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
    },
    TIMEOUT,
  );

  it(
    "auto: the remediated finding updates the same message (chat.update, same channel and ts) instead of posting",
    async () => {
      const result = await h.vigil(["replay", await eventFile(), "--mode", "auto"], env);
      expect(result, result.stderr).toMatchObject({ code: 0 });

      expect(slack.requests.map((r) => r.method)).toEqual(["chat.postMessage", "chat.update"]);
      const update = slack.requests[1]!;
      expect(update.authorization).toBe(`Bearer ${TOKEN}`);
      expect(update.body).toMatchObject({ channel: CHANNEL, ts });
      expect(blockText(update.body)).toContain("remediated");
      expect(blockText(update.body)).not.toContain("vigil_approve");
      expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);

      // Listings show findings only: the notification bookkeeping items stay out of them.
      const listed = await h.findings();
      expect(listed.every((f) => f.id.startsWith("vf-"))).toBe(true);
      expect(listed.filter((f) => f.resourceId === groupId).every((f) => f.status === "REMEDIATED")).toBe(
        true,
      );
    },
    TIMEOUT,
  );
});
