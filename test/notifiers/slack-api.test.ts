import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alertText } from "../../shared/notifiers/format";
import { parseSlackBotToken } from "../../shared/notifiers/secret-value";
import { SlackApiError, SlackWebApi, slackApiBaseUrl } from "../../shared/notifiers/slack-api";
import { slackPayload } from "../../shared/notifiers/slack";
import { snsPublishInput } from "../../shared/notifiers/sns";
import { alertOf, finding, plannedFinding, TOKEN, TOPIC } from "./router-support";
import { startLocalSlack, type LocalSlack } from "./slack-server";

describe("SlackWebApi against the local Slack Web API", () => {
  let slack: LocalSlack;
  beforeEach(async () => {
    slack = await startLocalSlack(TOKEN);
  });
  afterEach(() => slack.close());

  const api = (token = TOKEN) =>
    new SlackWebApi({ token: async () => token, baseUrl: slack.baseUrl, sleep: async () => {} });
  const payload = slackPayload(alertOf(finding("EC2.13", "sg-0000000000000aaa1")));

  it("posts JSON with a Bearer token and returns the channel id and ts; update sends both back", async () => {
    const ref = await api().postMessage("#sec-alerts", payload);
    expect(ref).toEqual({ channel: "C0SECALERTS", ts: "1700000000.000100" });
    await api().update(ref, payload);
    expect(slack.requests.map((r) => [r.method, r.authorization, r.body.channel, r.body.ts])).toEqual([
      ["chat.postMessage", `Bearer ${TOKEN}`, "#sec-alerts", undefined],
      ["chat.update", `Bearer ${TOKEN}`, "C0SECALERTS", "1700000000.000100"],
    ]);
    expect(slack.requests[1]!.body.blocks).toEqual(payload.blocks);
    expect(slack.requests[1]!.body.text).toBe(payload.text);
  });

  it("reads HTTP 200 {ok:false} as a failure with Slack's error code", async () => {
    const error = await api("xoxb-wrong-token-0000")
      .postMessage("C0SECALERTS", payload)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ code: "invalid_auth", retryable: false, status: 200 });
    const gone = await api()
      .update({ channel: "C0SECALERTS", ts: "1.2" }, payload)
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ code: "message_not_found", retryable: false });
  });

  it("treats 5xx, internal_error and an answer that is not JSON as retryable", async () => {
    slack.script.push({ status: 503, body: "upstream" });
    await expect(api().postMessage("C0SECALERTS", payload)).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
    slack.script.push({ status: 200, body: { ok: false, error: "internal_error" } });
    await expect(api().postMessage("C0SECALERTS", payload)).rejects.toMatchObject({ retryable: true });
  });

  it("never puts the token in an error, even when the transport echoes it", async () => {
    const leaky = new SlackWebApi({
      token: async () => TOKEN,
      fetch: async () => {
        throw new Error(`connect failed for https://slack.com/api/chat.postMessage?token=${TOKEN}`);
      },
    });
    const error = (await leaky.postMessage("C0SECALERTS", payload).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain("xoxb-");
    expect(error).toMatchObject({ retryable: true });
  });
});

describe("slackApiBaseUrl", () => {
  it("defaults to Slack and takes https or a loopback http only", () => {
    expect(slackApiBaseUrl(undefined)).toBe("https://slack.com/api/");
    expect(slackApiBaseUrl("http://127.0.0.1:4000/api/")).toBe("http://127.0.0.1:4000/api/");
    expect(() => slackApiBaseUrl("http://evil.example/api/")).toThrow("must be https");
  });
});

describe("parseSlackBotToken", () => {
  it("takes the token or JSON {botToken}, and never quotes a bad value", () => {
    expect(parseSlackBotToken(` ${TOKEN}\n`)).toBe(TOKEN);
    expect(parseSlackBotToken(JSON.stringify({ botToken: TOKEN }))).toBe(TOKEN);
    const secret = "https://hooks.slack.com/services/T0/B0/SECRETSECRET";
    expect(() => parseSlackBotToken(secret, "arn:secret")).toThrow(/arn:secret is not a Slack bot token/);
    try {
      parseSlackBotToken(secret);
    } catch (error) {
      expect((error as Error).message).not.toContain("SECRETSECRET");
    }
  });
});

describe("the approve action in every alert", () => {
  const planned = plannedFinding("EC2.13", "sg-0000000000000bbb1");
  const command = `npm run vigil -- approve ${planned.id}`;

  it("text (console, email) and SNS say how to approve a dry-run finding", () => {
    expect(alertText(alertOf(planned))).toContain(`    Approve: ${command}`);
    expect(snsPublishInput(alertOf(planned), TOPIC).Message).toContain(`Approve: ${command}`);
  });

  it("Slack carries the command; the button only with interactivity", () => {
    expect(JSON.stringify(slackPayload(alertOf(planned)).blocks)).toContain(command);
    expect(slackPayload(alertOf(planned)).blocks.some((b) => b.type === "actions")).toBe(false);
    expect(slackPayload(alertOf(planned), { interactivity: true }).blocks.at(-1)).toMatchObject({
      type: "actions",
      elements: [{ action_id: "vigil_approve", value: planned.id, style: "primary" }],
    });
  });

  it("a remediated finding has nothing to approve", () => {
    const done = finding("EC2.13", "sg-0000000000000bbb1");
    expect(alertText(alertOf(done))).not.toContain("Approve:");
    expect(JSON.stringify(slackPayload(alertOf(done), { interactivity: true }).blocks)).not.toContain(
      "approve",
    );
  });
});
