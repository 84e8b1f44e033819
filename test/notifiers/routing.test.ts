import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../shared/config/load";
import { globMatches, routeAlert, type RoutingDefaults } from "../../shared/notifiers/routing";
import { alertOf, finding, TOPIC } from "./router-support";

const PAGER = "arn:aws:sns:us-east-1:111122223333:pager";
const PROD_ACCOUNT = "444455556666";

const routes = [
  {
    name: "critical",
    match: { severities: ["CRITICAL"] },
    slackChannels: ["C0PAGER001"],
    snsTopicArns: [PAGER],
  },
  { name: "prod account", match: { accounts: [PROD_ACCOUNT] }, slackChannels: ["C0PROD0001"] },
  { name: "iam checks", match: { checks: ["VIGIL.IAM.*", "IAM.*"] }, slackChannels: ["C0IAM00001"] },
  { name: "tagged prod", match: { tags: { env: "prod" } }, slackChannels: ["C0TAGPROD1"], continue: true },
  { name: "owned", match: { tags: { owner: "*" }, minSeverity: "MEDIUM" }, slackChannels: ["C0OWNED001"] },
];
const settings = parseConfig({
  notifications: { routes, slack: { defaultChannel: "C0DEFAULT1" } },
}).notifications;
const bot: RoutingDefaults = { topicArn: TOPIC, webhook: true, bot: true, defaultChannel: "C0DEFAULT1" };

const high = finding("EC2.13", "sg-0000000000000aaa1");
const critical = finding("EC2.19", "sg-0000000000000aaa1");
const inProd = finding("EC2.13", "sg-0000000000000aaa2", {
  resource: { ...high.resource, account: PROD_ACCOUNT },
});
const iam = { ...high, id: "vf-iam", checkId: "VIGIL.IAM.ROOT_KEYS" };
const low = { ...high, id: "vf-low", severity: "LOW" as const };

describe("routeAlert", () => {
  it.each([
    [
      "CRITICAL goes to the pager route only (first match wins)",
      critical,
      undefined,
      ["slack:C0PAGER001", `sns:${PAGER}`],
    ],
    ["by account", inProd, undefined, ["slack:C0PROD0001"]],
    ["by check pattern", iam, undefined, ["slack:C0IAM00001"]],
    [
      "by tag, continuing to the next match",
      high,
      { env: "prod", owner: "team-a" },
      ["slack:C0TAGPROD1", "slack:C0OWNED001"],
    ],
    [
      "a tag route with `continue` and no later match",
      low,
      { env: "prod", owner: "team-a" },
      ["slack:C0TAGPROD1"],
    ],
    ["any value of a tag, with a minimum severity", high, { owner: "team-b" }, ["slack:C0OWNED001"]],
    [
      "below the minimum severity: default route",
      low,
      { owner: "team-b" },
      [`sns:${TOPIC}`, "slack:C0DEFAULT1"],
    ],
    ["unknown tags never match a tag route: default", high, undefined, [`sns:${TOPIC}`, "slack:C0DEFAULT1"]],
    ["nothing matches: default route", high, { env: "dev" }, [`sns:${TOPIC}`, "slack:C0DEFAULT1"]],
  ])("%s", (_name, f, tags, expected) => {
    const routed = routeAlert({ ...alertOf(f), ...(tags ? { tags } : {}) }, settings, bot);
    expect(routed.map((r) => r.key)).toEqual(expected);
    for (const r of routed) expect(r.alert.findings).toEqual([f]);
  });

  it("splits one alert by destination, each part with its own findings and severity", () => {
    const routed = routeAlert(alertOf(critical, high), settings, bot);
    expect(routed.map((r) => [r.key, r.alert.severity, r.alert.findings.map((f) => f.checkId)])).toEqual([
      ["slack:C0PAGER001", "CRITICAL", ["EC2.19"]],
      [`sns:${PAGER}`, "CRITICAL", ["EC2.19"]],
      [`sns:${TOPIC}`, "HIGH", ["EC2.13"]],
      ["slack:C0DEFAULT1", "HIGH", ["EC2.13"]],
    ]);
  });

  it("without a bot token, Slack channels of a route go to the webhook; the default is topic + webhook", () => {
    const webhookOnly: RoutingDefaults = { topicArn: TOPIC, webhook: true, bot: false };
    expect(routeAlert(alertOf(critical), settings, webhookOnly).map((r) => r.key)).toEqual([
      "webhook",
      `sns:${PAGER}`,
    ]);
    expect(routeAlert(alertOf(high), settings, webhookOnly).map((r) => r.key)).toEqual([
      `sns:${TOPIC}`,
      "webhook",
    ]);
  });

  it("takes the route's digest window over the global one, the shorter when two routes share a channel", () => {
    const config = parseConfig({
      notifications: {
        digestWindowMinutes: 15,
        routes: [
          {
            match: { checks: ["EC2.*"] },
            slackChannels: ["C0SHARED01"],
            digestWindowMinutes: 5,
            continue: true,
          },
          { match: { severities: ["HIGH"] }, slackChannels: ["C0SHARED01", "C0OTHER001"] },
        ],
      },
    }).notifications;
    const routed = routeAlert(alertOf(high), config, bot);
    expect(routed.map((r) => [r.key, r.digestWindowMinutes])).toEqual([
      ["slack:C0SHARED01", 5],
      ["slack:C0OTHER001", 15],
    ]);
  });
});

describe("globMatches", () => {
  it.each([
    ["EC2.*", "EC2.19", true],
    ["EC2.*", "EC2", false],
    ["EC2.1", "EC2.19", false],
    ["*", "anything", true],
    ["VIGIL.*.ROOT*", "VIGIL.IAM.ROOT_KEYS", true],
    ["EC2.1?", "EC2.19", false], // only * is special
  ])("%s vs %s", (pattern, value, expected) => expect(globMatches(pattern, value)).toBe(expected));
});

describe("notifications config", () => {
  it("defaults: no routes, no digest, 60 per minute, no interactivity", () => {
    expect(parseConfig({}).notifications).toEqual({
      routes: [],
      digestWindowMinutes: 0,
      maxPerMinute: 60,
      slack: { botToken: false, interactivity: false },
    });
  });

  it.each([
    [{ routes: [{ match: {} }] }, "at least one Slack channel or SNS topic"],
    [{ routes: [{ snsTopicArns: ["arn:aws:sqs:us-east-1:111122223333:q"] }] }, "an SNS topic ARN"],
    [{ routes: [{ slackChannels: ["C0X"], match: { accounts: ["123"] } }] }, "a 12-digit account id"],
    [{ digestWindowMinutes: -1 }, "digestWindowMinutes"],
    [{ maxPerMinute: 0 }, "maxPerMinute"],
    [{ slack: { defaultChannel: "not a channel!" } }, "defaultChannel"],
  ])("rejects %j", (notifications, message) => {
    expect(() => parseConfig({ notifications })).toThrow(ConfigError);
    expect(() => parseConfig({ notifications })).toThrow(message);
  });
});
