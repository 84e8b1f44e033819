import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Template } from "aws-cdk-lib/assertions";
import { resourcesOfType, removeSynthOutputs, synthVigil } from "./synth";

const PAGER = "arn:aws:sns:us-east-1:111122223333:pager";
const OTHER_ACCOUNT = "arn:aws:sns:eu-west-1:444455556666:secops";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** For each IAM policy: the resources of statements allowing `action`. */
function grantsOf(template: Template, action: string): unknown[][] {
  return resourcesOfType(template, "AWS::IAM::Policy").map(([, policy]) => {
    const document = (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument;
    return document.Statement.filter(
      (s) => s.Effect === "Allow" && [s.Action].flat().includes(action),
    ).flatMap((s) => [s.Resource].flat());
  });
}

describe("notifications in the stack", () => {
  let routed: Template;
  let plain: Template;
  beforeAll(() => {
    routed = synthVigil({
      context: {
        vigilConfig: {
          notifications: {
            routes: [
              { match: { severities: ["CRITICAL"] }, snsTopicArns: [PAGER, OTHER_ACCOUNT] },
              { match: { checks: ["IAM.*"] }, snsTopicArns: [PAGER], slackChannels: ["C0IAM00001"] },
            ],
            slack: { botToken: true, defaultChannel: "C0DEFAULT1", interactivity: true },
          },
          approval: { slackApprovers: ["U0APPROVER"] },
        },
      },
    }).template;
    plain = synthVigil().template;
  }, 180_000);
  afterAll(removeSynthOutputs);

  it("grants sns:Publish on exactly the route topics plus the stack's own topic", () => {
    const publish = grantsOf(routed, "sns:Publish").filter((resources) => resources.length);
    expect(publish.length).toBeGreaterThan(0);
    for (const resources of publish) {
      const literal = resources.filter((r) => typeof r === "string").sort();
      expect(literal).toEqual([OTHER_ACCOUNT, PAGER]);
      expect(resources.filter((r) => typeof r !== "string")).toEqual([
        { Ref: expect.stringMatching(/^AlertsTopic/) },
      ]);
    }
    for (const resources of grantsOf(plain, "sns:Publish").filter((r) => r.length)) {
      expect(resources).toEqual([{ Ref: expect.stringMatching(/^AlertsTopic/) }]);
    }
  });

  it("creates the bot token secret empty, passes its ARN and lets the alerting functions read it", () => {
    const secrets = resourcesOfType(routed, "AWS::SecretsManager::Secret");
    const bot = secrets.find(([id]) => id.startsWith("AlertRoutingSlackBotToken"));
    expect(bot).toBeDefined();
    expect(bot?.[1].Properties).not.toHaveProperty("SecretString");
    expect(bot?.[1].Properties).not.toHaveProperty("GenerateSecretString");
    const botId = bot?.[0];
    const functions = resourcesOfType(routed, "AWS::Lambda::Function").filter(([, fn]) => {
      const env = (fn.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment
        ?.Variables;
      return env && "ALERT_TOPIC_ARN" in env;
    });
    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) {
      const env = (fn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment
        .Variables;
      expect(env.SLACK_BOT_TOKEN_SECRET_ARN).toEqual({ Ref: botId });
      expect(env.SLACK_WEBHOOK_SECRET_ARN).toEqual({ Ref: "SlackWebhook" });
    }
    const reads = grantsOf(routed, "secretsmanager:GetSecretValue").filter((r) => r.length);
    const alerting = reads.filter((resources) =>
      resources.some((r) => JSON.stringify(r) === '{"Ref":"SlackWebhook"}'),
    );
    expect(alerting.length).toBeGreaterThan(0);
    // (The approval function reads its signing secret too: H5's, not ours.)
    for (const resources of alerting)
      expect(resources.slice(0, 2)).toEqual([{ Ref: "SlackWebhook" }, { Ref: botId }]);
  });

  it("adds nothing without a bot token or routes (webhook-only deployments are unchanged)", () => {
    expect(resourcesOfType(plain, "AWS::SecretsManager::Secret").map(([id]) => id)).toEqual(["SlackWebhook"]);
    for (const [, fn] of resourcesOfType(plain, "AWS::Lambda::Function")) {
      const env = (fn.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment
        ?.Variables;
      expect(env ?? {}).not.toHaveProperty("SLACK_BOT_TOKEN_SECRET_ARN");
    }
  });
});
