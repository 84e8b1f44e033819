import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../shared/config/load";
import type { LocalDynamo } from "../../shared/findings/local-dynamo";
import { runtimeFromEnv } from "../../shared/pipeline/environment";
import { withLocalStore } from "../support/dynalite";

/** Which notifiers the environment yields: webhook-only deployments keep exactly today's pair. */
describe("runtimeFromEnv notifiers", () => {
  let local: LocalDynamo;
  beforeAll(async () => {
    local = await withLocalStore();
    // The SDK reads these from the process, as in Lambda.
    vi.stubEnv("AWS_ENDPOINT_URL", local.endpoint);
    vi.stubEnv("AWS_REGION", "us-east-1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await local.close();
  });

  const base = {
    FINDINGS_TABLE: "vigil-findings",
    ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:111122223333:vigil-alerts",
    SLACK_WEBHOOK_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:111122223333:secret:webhook-AbCdEf",
  };
  const notifiersFor = async (env: Record<string, string>, config = {}) => {
    const owned = await runtimeFromEnv(parseConfig(config), { env });
    await owned.close();
    return owned.description.notifiers;
  };

  it.each([
    ["topic + webhook, no notifications settings: unchanged", base, {}, ["sns", "slack"]],
    [
      "a bot token secret: the router",
      {
        ...base,
        SLACK_BOT_TOKEN_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:111122223333:secret:bot-AbCdEf",
      },
      {},
      ["routes"],
    ],
    [
      "routes configured: the router",
      base,
      { notifications: { routes: [{ slackChannels: ["C0ROUTE001"] }] } },
      ["routes"],
    ],
    ["a digest window: the router", base, { notifications: { digestWindowMinutes: 5 } }, ["routes"]],
  ])("%s", async (_name, env, config, expected) => {
    expect(await notifiersFor(env, config)).toEqual(expected);
  });
});
