import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import type { Alert, Notifier } from "../../shared/notifiers/alert";
import { deliverAlert, type DeliveryLogger } from "../../shared/notifiers/deliver";
import { SlackWebhookError } from "../../shared/notifiers/slack";
import { EVENT_ID, sgAlert } from "./fixtures";

/** A notifier that fails its first `failures` sends (forever with Infinity). */
function flaky(name: string, failures: number, error: () => unknown = () => new Error(`${name} is down`)) {
  const sent: Alert[] = [];
  let calls = 0;
  const notifier: Notifier = {
    name,
    async send(alert) {
      calls++;
      if (calls <= failures) throw error();
      sent.push(alert);
    },
  };
  return { notifier, sent, calls: () => calls };
}

function recordingLogger() {
  const entries: { level: string; message: string; extra: Record<string, unknown>[] }[] = [];
  const logger: DeliveryLogger = {
    warn: (message, ...extra) => entries.push({ level: "warn", message, extra }),
    error: (message, ...extra) => entries.push({ level: "error", message, extra }),
  };
  return { logger, entries };
}

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe("deliverAlert", () => {
  it("retries with exponential backoff until a send succeeds", async () => {
    const sns = flaky("sns", 2);
    const { delays, sleep } = recordingSleep();
    const alert = sgAlert();

    const report = await deliverAlert(alert, [sns.notifier], { sleep });

    expect(report).toEqual({ delivered: ["sns"], failed: [] });
    expect(sns.calls()).toBe(3);
    expect(sns.sent).toEqual([alert]);
    expect(delays).toEqual([200, 400]);
  });

  it("keeps delivering to the others when one notifier keeps failing", async () => {
    const slack = flaky("slack", Infinity);
    const sns = flaky("sns", 0);
    const console = flaky("console", 1);
    const { delays, sleep } = recordingSleep();
    const { logger, entries } = recordingLogger();

    const report = await deliverAlert(sgAlert(), [slack.notifier, sns.notifier, console.notifier], {
      attempts: 4,
      baseDelayMs: 50,
      logger,
      sleep,
    });

    expect(report).toEqual({
      delivered: ["sns", "console"],
      failed: [{ notifier: "slack", error: "slack is down" }],
    });
    expect(slack.calls()).toBe(4);
    expect(sns.calls()).toBe(1);
    expect(console.calls()).toBe(2);
    expect([...delays].sort((a, b) => a - b)).toEqual([50, 50, 100, 200]);
    expect(entries.filter((entry) => entry.level === "error")).toEqual([
      {
        level: "error",
        message: "Alert delivery failed",
        extra: [{ notifier: "slack", attempt: 4, attempts: 4, error: "slack is down", eventId: EVENT_ID }],
      },
    ]);
    const warned = entries.filter((entry) => entry.level === "warn").map((entry) => entry.extra[0]?.notifier);
    expect(warned.sort()).toEqual(["console", "slack", "slack", "slack"]);
  });

  it("stops retrying errors a retry cannot fix", async () => {
    const slack = flaky(
      "slack",
      Infinity,
      () => new SlackWebhookError("Slack webhook answered HTTP 404: no_service", 404, false),
    );
    const { delays, sleep } = recordingSleep();
    const report = await deliverAlert(sgAlert(), [slack.notifier], { sleep });
    expect(slack.calls()).toBe(1);
    expect(delays).toEqual([]);
    expect(report.failed).toEqual([
      { notifier: "slack", error: "SlackWebhookError: Slack webhook answered HTTP 404: no_service" },
    ]);
  });

  it("never reports or logs a URL an error happens to contain", async () => {
    const leaky = flaky(
      "leaky",
      Infinity,
      () => new Error("POST https://hooks.slack.com/services/T0/B0/Xq7tB2mN9pR4 failed"),
    );
    const { logger, entries } = recordingLogger();
    const report = await deliverAlert(sgAlert(), [leaky.notifier], { attempts: 2, baseDelayMs: 0, logger });

    expect(report.failed[0]?.error).toBe("POST https://hooks.slack.com/[redacted] failed");
    expect(JSON.stringify(entries)).not.toContain("Xq7tB2mN9pR4");
    expect(entries).toHaveLength(2);
  });

  it("handles thrown non-errors and a single attempt", async () => {
    const odd = flaky("odd", Infinity, () => "plain string");
    const report = await deliverAlert(sgAlert(), [odd.notifier], { attempts: 1 });
    expect(report).toEqual({ delivered: [], failed: [{ notifier: "odd", error: "plain string" }] });
    expect(odd.calls()).toBe(1);
  });

  it("waits for real between tries by default", async () => {
    const sns = flaky("sns", 1);
    const started = Date.now();
    await expect(deliverAlert(sgAlert(), [sns.notifier], { baseDelayMs: 30 })).resolves.toEqual({
      delivered: ["sns"],
      failed: [],
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("accepts the Powertools logger", async () => {
    const logger: DeliveryLogger = new Logger({ serviceName: "vigil-test" });
    const report = await deliverAlert(sgAlert(), [flaky("sns", Infinity).notifier], { attempts: 1, logger });
    expect(report.failed).toHaveLength(1);
  });

  it("reports nothing for no notifiers", async () => {
    await expect(deliverAlert(sgAlert(), [])).resolves.toEqual({ delivered: [], failed: [] });
  });
});
