import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LocalDynamo } from "../../shared/findings/local-dynamo";
import { RoutedDeliveryError } from "../../shared/notifiers/router";
import { withLocalStore } from "../support/dynalite";
import { alertOf, blockText, finding, plannedFinding, routerFor, TOKEN, TOPIC } from "./router-support";
import { startLocalSlack, type LocalSlack } from "./slack-server";

const CHANNEL = "C0SECURITY1";
const START = Date.parse("2025-03-11T14:02:18.000Z");

describe("RoutingNotifier with a bot token (local Slack Web API, state in dynalite)", () => {
  let slack: LocalSlack;
  let local: LocalDynamo;
  let now: number;
  const clock = () => new Date(now);

  beforeEach(async () => {
    slack = await startLocalSlack(TOKEN);
    local = await withLocalStore();
    now = START;
  });
  afterEach(async () => {
    await slack.close();
    await local.close();
  });

  const posts = () => slack.requests.filter((r) => r.method === "chat.postMessage");
  const updates = () => slack.requests.filter((r) => r.method === "chat.update");

  it("posts a dry-run alert with the approve command and button, then updates that message (same ts) when remediated", async () => {
    const { router } = routerFor(
      local,
      slack,
      { slack: { defaultChannel: CHANNEL, interactivity: true } },
      { clock },
    );
    const open = plannedFinding("EC2.13", "sg-0a1b2c3d4e5f60001");
    await router.send(alertOf(open));

    expect(posts()).toHaveLength(1);
    const post = posts()[0]!;
    expect(post.authorization).toBe(`Bearer ${TOKEN}`);
    expect(post.contentType).toBe("application/json; charset=utf-8");
    expect(post.body.channel).toBe(CHANNEL);
    expect(blockText(post.body)).toContain(`npm run vigil -- approve ${open.id}`);
    const actions = (post.body.blocks as { type: string; elements?: unknown[] }[]).find(
      (b) => b.type === "actions",
    );
    expect(actions?.elements).toEqual([
      {
        type: "button",
        text: { type: "plain_text", text: "Approve EC2.13", emoji: true },
        action_id: "vigil_approve",
        value: open.id,
        style: "primary",
        confirm: {
          title: { type: "plain_text", text: "Run the planned remediation?", emoji: true },
          text: {
            type: "plain_text",
            text: "Vigil will revoke sgr-0d27a9c4e81f35b60 from sg-0a1b2c3d4e5f60001 (tcp 22 from 0.0.0.0/0) now.",
            emoji: true,
          },
          confirm: { type: "plain_text", text: "Approve", emoji: true },
          deny: { type: "plain_text", text: "Cancel", emoji: true },
        },
      },
    ]);
    const ts = Object.keys(Object.fromEntries(slack.messages))[0]!.split("/")[1];

    now += 5 * 60_000;
    await router.send(alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60001")));

    expect(posts()).toHaveLength(1);
    expect(updates()).toHaveLength(1);
    const update = updates()[0]!;
    expect(update.authorization).toBe(`Bearer ${TOKEN}`);
    expect(update.body).toMatchObject({ channel: CHANNEL, ts });
    expect(blockText(update.body)).toContain("Updated 2025-03-11T14:07:18Z: EC2.13 remediated");
    expect(blockText(update.body)).not.toContain("vigil_approve");
    expect(blockText(update.body)).not.toContain("approve ");
  });

  it("redraws the whole message when one of its findings changes: the others come from the store", async () => {
    const { router } = routerFor(local, slack, { slack: { defaultChannel: CHANNEL } }, { clock });
    const a = finding("EC2.19", "sg-0a1b2c3d4e5f60002", { status: "OPEN", remediation: undefined });
    const b = finding("EC2.13", "sg-0a1b2c3d4e5f60002", { status: "OPEN", remediation: undefined });
    await local.store.put(a, undefined);
    await router.send(alertOf(a, b));
    await router.send(
      alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60002", { status: "RESOLVED", remediation: undefined })),
    );

    expect(posts()).toHaveLength(1);
    const text = blockText(updates()[0]!.body);
    expect(text).toContain("EC2.19");
    expect(text).toContain("EC2.13 resolved");
  });

  it("posts anew when the original message was deleted (message_not_found), and updates the new one next time", async () => {
    const { router, logger } = routerFor(local, slack, { slack: { defaultChannel: CHANNEL } }, { clock });
    await router.send(alertOf(plannedFinding("EC2.13", "sg-0a1b2c3d4e5f60003")));
    slack.messages.clear(); // someone deleted it
    await router.send(alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60003")));
    await router.send(alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60003", { status: "RESOLVED" })));

    expect(slack.requests.map((r) => r.method)).toEqual([
      "chat.postMessage",
      "chat.update", // message_not_found
      "chat.postMessage",
      "chat.update",
    ]);
    const secondTs = [...slack.messages.keys()][0]!.split("/")[1];
    expect(slack.requests[3]!.body.ts).toBe(secondTs);
    expect(logger.entries.map((e) => e.message)).toContain(
      "Slack message cannot be updated; posting a new one",
    );
    expect(JSON.stringify(logger.entries)).not.toContain(TOKEN);
  });

  it("waits out a 429's Retry-After once, then posts", async () => {
    const { router, sleeps } = routerFor(local, slack, { slack: { defaultChannel: CHANNEL } }, { clock });
    slack.script.push({
      status: 429,
      headers: { "retry-after": "2" },
      body: { ok: false, error: "ratelimited" },
    });
    await router.send(alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60004")));

    expect(sleeps).toEqual([2000]);
    expect(posts()).toHaveLength(2);
    expect(slack.messages.size).toBe(1);
  });

  it("fails retryably on a long Retry-After, and permanently on ok:false errors, never quoting the token", async () => {
    const { router } = routerFor(local, slack, { slack: { defaultChannel: CHANNEL } }, { clock });
    slack.script.push({
      status: 429,
      headers: { "retry-after": "120" },
      body: { ok: false, error: "ratelimited" },
    });
    const limited = await router
      .send(alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60005")))
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RoutedDeliveryError);
    expect(limited).toMatchObject({ retryable: true });
    expect((limited as Error).message).toContain("HTTP 429");

    slack.script.push({ status: 200, body: { ok: false, error: "not_in_channel" } });
    const refused = await router
      .send(alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60006")))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ retryable: false });
    expect((refused as Error).message).toBe(
      `slack:${CHANNEL}: SlackApiError: Slack chat.postMessage failed: not_in_channel`,
    );

    slack.script.push({ status: 200, body: { ok: false, error: `invalid_auth for ${TOKEN}` } });
    const echoed = await router
      .send(alertOf(finding("EC2.13", "sg-0a1b2c3d4e5f60007")))
      .catch((e: unknown) => e);
    expect((echoed as Error).message).not.toContain(TOKEN);
    expect((echoed as Error).message).toContain("[redacted]");
  });

  it("merges further findings of one check into one digest message within the window, and starts a new one after", async () => {
    const { router } = routerFor(
      local,
      slack,
      { digestWindowMinutes: 10, slack: { defaultChannel: CHANNEL } },
      { clock },
    );
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000aaa1")));
    now += 60_000;
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000aaa2")));
    now += 60_000;
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000aaa3")));

    expect(posts()).toHaveLength(1);
    expect(updates()).toHaveLength(2);
    const ts = [...slack.messages.keys()][0]!.split("/")[1];
    expect(updates().map((u) => u.body.ts)).toEqual([ts, ts]);
    const digest = blockText(updates()[1]!.body);
    expect(digest).toContain("Vigil digest: EC2.13, 3 findings");
    for (const id of ["sg-0000000000000aaa1", "sg-0000000000000aaa2", "sg-0000000000000aaa3"])
      expect(digest).toContain(id);

    now += 10 * 60_000; // window over
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000aaa4")));
    expect(posts()).toHaveLength(2);
  });

  it("redraws a digested finding's line when it is remediated later (the digest message, not a new post)", async () => {
    const { router } = routerFor(
      local,
      slack,
      { digestWindowMinutes: 10, slack: { defaultChannel: CHANNEL } },
      { clock },
    );
    await router.send(alertOf(plannedFinding("EC2.13", "sg-0000000000000abc1")));
    await router.send(alertOf(plannedFinding("EC2.13", "sg-0000000000000abc2")));
    expect(blockText(updates()[0]!.body)).toContain(
      "sg-0000000000000abc2 (111122223333 / us-east-1): dry-run",
    );

    now += 2 * 60_000;
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000abc2")));
    expect(posts()).toHaveLength(1);
    const last = updates().at(-1)!;
    expect(last.body.ts).toBe(updates()[0]!.body.ts);
    expect(blockText(last.body)).toContain("sg-0000000000000abc2 (111122223333 / us-east-1): remediated");
    expect(blockText(last.body)).toContain("Vigil digest: EC2.13, 2 findings");
  });

  it("never holds back CRITICAL findings or tampering alerts, by digest or rate limit", async () => {
    const { router } = routerFor(
      local,
      slack,
      { digestWindowMinutes: 10, maxPerMinute: 1, slack: { defaultChannel: CHANNEL } },
      { clock },
    );
    await router.send(alertOf(finding("EC2.19", "sg-0000000000000bbb1")));
    await router.send(alertOf(finding("EC2.19", "sg-0000000000000bbb2")));
    await router.send({ ...alertOf(finding("EC2.13", "sg-0000000000000bbb3")), tampering: true });
    await router.send({ ...alertOf(finding("EC2.13", "sg-0000000000000bbb4")), tampering: true });

    expect(posts()).toHaveLength(4);
    expect(updates()).toHaveLength(0);
  });

  it("folds alerts over the channel's rate limit, across invocations sharing the store, into the next message", async () => {
    const settings = { maxPerMinute: 2, slack: { defaultChannel: CHANNEL } };
    const first = routerFor(local, slack, settings, { clock }).router;
    const second = routerFor(local, slack, settings, { clock }).router; // another Lambda container
    await first.send(alertOf(finding("EC2.13", "sg-0000000000000ccc1")));
    await second.send(alertOf(finding("EC2.13", "sg-0000000000000ccc2")));
    await first.send(alertOf(finding("EC2.13", "sg-0000000000000ccc3"))); // third this minute: folded
    await second.send(alertOf(finding("EC2.13", "sg-0000000000000ccc4"))); // folded
    expect(posts()).toHaveLength(2);

    now += 60_000;
    await second.send(alertOf(finding("EC2.13", "sg-0000000000000ccc5")));
    expect(posts()).toHaveLength(3);
    const carried = posts()[2]!;
    expect(String(carried.body.text)).toContain("(and 2 more)");
    expect(blockText(carried.body)).toContain("And 2 more held back");
    expect(blockText(carried.body)).toContain("sg-0000000000000ccc3");
    expect(blockText(carried.body)).toContain("sg-0000000000000ccc4");

    await first.send(alertOf(finding("EC2.13", "sg-0000000000000ccc6")));
    expect(blockText(posts()[3]!.body)).not.toContain("held back");
  });

  it("counts exactly under concurrency: six containers at once, limit three, three posts and three folded", async () => {
    const settings = { maxPerMinute: 3, slack: { defaultChannel: CHANNEL } };
    const routers = Array.from({ length: 6 }, () => routerFor(local, slack, settings, { clock }).router);
    await Promise.all(
      routers.map((router, i) => router.send(alertOf(finding("EC2.13", `sg-00000000000000d0${i}`)))),
    );
    expect(posts()).toHaveLength(3);

    now += 60_000;
    await routers[0]!.send(alertOf(finding("EC2.13", "sg-00000000000000d10")));
    expect(blockText(posts()[3]!.body)).toContain("And 3 more held back");
  });
});

describe("RoutingNotifier routes", () => {
  let slack: LocalSlack;
  let local: LocalDynamo;
  const clock = () => new Date(START);

  beforeEach(async () => {
    slack = await startLocalSlack(TOKEN);
    local = await withLocalStore();
  });
  afterEach(async () => {
    await slack.close();
    await local.close();
  });

  it("sends each finding only where its route says; unmatched findings take the default route", async () => {
    const PAGER = "arn:aws:sns:us-east-1:111122223333:pager";
    const { router, published } = routerFor(
      local,
      slack,
      {
        routes: [
          {
            name: "critical",
            match: { severities: ["CRITICAL"] },
            slackChannels: ["#sec-alerts"],
            snsTopicArns: [PAGER],
          },
        ],
        slack: { defaultChannel: CHANNEL },
      },
      { clock },
    );
    const critical = finding("EC2.19", "sg-0000000000000ddd1");
    const high = finding("EC2.13", "sg-0000000000000ddd1");
    await router.send(alertOf(critical, high));

    expect(published.map((p) => [p.topicArn, p.alert.findings.map((f) => f.checkId)])).toEqual(
      expect.arrayContaining([
        [PAGER, ["EC2.19"]],
        [TOPIC, ["EC2.13"]],
      ]),
    );
    expect(published).toHaveLength(2);
    const channels = slack.requests.map((r) => [r.body.channel, blockText(r.body).includes("EC2.19")]);
    expect(channels).toEqual(
      expect.arrayContaining([
        ["#sec-alerts", true],
        [CHANNEL, false],
      ]),
    );
    expect(channels).toHaveLength(2);
  });

  it("retries only the destinations that failed when deliverAlert sends the same alert again", async () => {
    const { router, published } = routerFor(local, slack, { slack: { defaultChannel: CHANNEL } }, { clock });
    const alert = alertOf(finding("EC2.13", "sg-0000000000000eee1"));
    slack.script.push({ status: 500, body: { ok: false, error: "internal_error" } });
    await expect(router.send(alert)).rejects.toMatchObject({ retryable: true });
    await router.send(alert);
    expect(published).toHaveLength(1); // SNS got it the first time
    expect(slack.messages.size).toBe(1);
  });
});

describe("RoutingNotifier in webhook mode (no bot token)", () => {
  let slack: LocalSlack;
  let local: LocalDynamo;
  let now: number;
  const clock = () => new Date(now);

  beforeEach(async () => {
    slack = await startLocalSlack(TOKEN);
    local = await withLocalStore();
    now = START;
  });
  afterEach(async () => {
    await slack.close();
    await local.close();
  });

  it("digest: the first goes out, later ones of the check wait, and the next post carries them as 'and N more'", async () => {
    const { router } = routerFor(
      local,
      slack,
      { digestWindowMinutes: 10 },
      { clock, bot: false, webhook: true },
    );
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000fff1")));
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000fff2")));
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000fff3")));
    expect(slack.requests.filter((r) => r.method === "webhook")).toHaveLength(1);

    now += 11 * 60_000;
    await router.send(alertOf(finding("EC2.13", "sg-0000000000000fff4")));
    const webhooks = slack.requests.filter((r) => r.method === "webhook");
    expect(webhooks).toHaveLength(2);
    expect(webhooks[1]!.authorization).toBeUndefined();
    const text = blockText(webhooks[1]!.body);
    expect(text).toContain("And 2 more held back");
    expect(text).toContain("sg-0000000000000fff2");
    expect(text).toContain("sg-0000000000000fff3");
    expect(text).toContain("sg-0000000000000fff4");
  });
});
