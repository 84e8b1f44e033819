import type { NotificationSettings } from "../config/notifications";
import { highest } from "../core/severity";
import type { Finding } from "../findings/model";
import type { FindingsStore } from "../findings/store";
import type { Alert, Notifier } from "./alert";
import {
  type DestinationState,
  type DigestEntry,
  type DigestState,
  digestEntry,
  digestPayload,
  heldBlocks,
  mergeEntries,
} from "./digest";
import { findingOutcome, oneLine } from "./format";
import type { NotificationStateStore } from "./notification-state";
import { errorMessage } from "./redact";
import { SecretNotSetError } from "./secret-value";
import { routeAlert, type Destination, type RoutedAlert, type RoutingDefaults } from "./routing";
import { SlackApiError, type SlackMessageRef, type SlackWebApi } from "./slack-api";
import { escapeMrkdwn, slackPayload, type SlackPayload } from "./slack";

/** Where a finding's Slack message is, per destination: the message to chat.update on its next change. */
export interface MessageState {
  ref: SlackMessageRef;
  /** Every finding the message shows (one alert is one resource's findings). */
  findingIds: string[];
  /** Set when the message is a digest: its state item holds the entries. */
  digestKey?: string;
  [key: string]: unknown;
}

/** chat.update answers that mean "this message cannot be updated any more": post a new one instead. */
const MESSAGE_GONE = new Set([
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "channel_not_found",
]);

export interface RouterLogger {
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface RoutingNotifierOptions {
  settings: NotificationSettings;
  /** The stack's own topic: the default route's SNS destination. */
  topicArn?: string;
  /** An SNS notifier for a topic (the router keeps one per topic). */
  sns?: (topicArn: string) => Notifier;
  /** Incoming-webhook mode (posts only, no updates). */
  webhook?: { postPayload(payload: SlackPayload): Promise<void> };
  /** Bot-token mode (posts and updates). */
  slack?: SlackWebApi;
  state: NotificationStateStore;
  /** To redraw a message with its other findings when one of them changes. */
  findings: Pick<FindingsStore, "getMany">;
  now?: () => Date;
  logger?: RouterLogger;
}

/** One or more destinations failed; `retryable` is false only when every failure is permanent. */
export class RoutedDeliveryError extends Error {
  override readonly name = "RoutedDeliveryError";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function isPermanent(error: unknown): boolean {
  return typeof error === "object" && error !== null && "retryable" in error && error.retryable === false;
}

const HELD = Symbol("held");

export const messageKey = (destination: string, findingId: string) => `msg#${destination}#${findingId}`;
export const digestKey = (destination: string, checkId: string) => `digest#${destination}#${checkId}`;
export const destinationStateKey = (destination: string) => `dest#${destination}`;

/**
 * Sends each alert where the `notifications` routes say: Slack channels (bot token: the message is
 * updated when the finding changes), the webhook, SNS topics. Slack gets a digest window per check and
 * a per-channel rate limit shared by every invocation (state in DynamoDB); over the limit or inside a
 * window alerts are folded, never dropped. CRITICAL findings and tampering alerts are never held back.
 */
export class RoutingNotifier implements Notifier {
  readonly name = "routes";
  private readonly options: RoutingNotifierOptions;
  private readonly defaults: RoutingDefaults;
  private readonly now: () => Date;
  private readonly topics = new Map<string, Notifier>();
  /** deliverAlert retries with the same alert object: destinations that already got it are skipped. */
  private readonly delivered = new WeakMap<Alert, Set<string>>();

  constructor(options: RoutingNotifierOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.defaults = {
      topicArn: options.topicArn,
      webhook: Boolean(options.webhook),
      bot: Boolean(options.slack),
      defaultChannel: options.settings.slack.defaultChannel,
    };
  }

  async send(alert: Alert): Promise<void> {
    const routed = routeAlert(alert, this.options.settings, this.defaults);
    if (!routed.length) {
      this.options.logger?.warn("alert has no destination (no route, topic, webhook or default channel)", {
        eventId: alert.eventId,
      });
      return;
    }
    let done = this.delivered.get(alert);
    if (!done) this.delivered.set(alert, (done = new Set()));
    const sent = done;
    const failures: { key: string; error: unknown }[] = [];
    await Promise.all(
      routed
        .filter((r) => !sent.has(r.key))
        .map(async (r) => {
          try {
            await this.deliver(r);
            sent.add(r.key);
          } catch (error) {
            failures.push({ key: r.key, error });
          }
        }),
    );
    if (failures.length) {
      const message = failures.map((f) => `${f.key}: ${errorMessage(f.error)}`).join("; ");
      throw new RoutedDeliveryError(message, !failures.every((f) => isPermanent(f.error)));
    }
  }

  private async deliver(r: RoutedAlert): Promise<void> {
    if (r.destination.kind === "sns") return this.topic(r.destination.topicArn).send(r.alert);
    try {
      await this.deliverSlack(r);
    } catch (error) {
      // Slack is optional: a token nobody has stored yet must not fail (and retry) every event.
      if (!(error instanceof SecretNotSetError)) throw error;
      this.options.logger?.warn(`Slack alert skipped: ${error.message}`, { destination: r.key });
    }
  }

  private topic(topicArn: string): Notifier {
    const { sns } = this.options;
    if (!sns) throw new RoutedDeliveryError(`no SNS client to publish to ${topicArn}`, false);
    let notifier = this.topics.get(topicArn);
    if (!notifier) this.topics.set(topicArn, (notifier = sns(topicArn)));
    return notifier;
  }

  private async deliverSlack(r: RoutedAlert): Promise<void> {
    const now = this.now();
    const fresh = r.destination.kind === "slack" ? await this.updateExisting(r, now) : r.alert.findings;
    if (!fresh.length) return;
    const urgent = (finding: Finding) => r.alert.tampering === true || finding.severity === "CRITICAL";
    const digesting = r.digestWindowMinutes > 0;
    const immediate = digesting ? fresh.filter(urgent) : fresh;
    if (immediate.length) await this.post(r, subAlert(r.alert, immediate), now, immediate.some(urgent));
    if (!digesting) return;
    const byCheck = new Map<string, Finding[]>();
    for (const finding of fresh.filter((f) => !urgent(f)))
      byCheck.set(finding.checkId, [...(byCheck.get(finding.checkId) ?? []), finding]);
    for (const [checkId, findings] of byCheck) await this.digest(r, checkId, findings, now);
  }

  /** A new message (unless the channel is over its limit: then folded into the held list). */
  private async post(
    r: RoutedAlert,
    alert: Alert,
    now: Date,
    urgent: boolean,
    digest?: string,
  ): Promise<SlackMessageRef | undefined | typeof HELD> {
    if (!urgent && !(await this.takeSlot(r.key, now))) {
      this.options.logger?.info("Slack channel over its rate limit; alert folded into the next message", {
        destination: r.key,
        findings: alert.findings.map((f) => f.id),
      });
      await this.hold(r.key, alert.findings, now);
      return HELD;
    }
    const stateKey = destinationStateKey(r.key);
    const destination = await this.options.state.get<DestinationState>(stateKey);
    const held = destination?.held ?? [];
    const heldCount = destination?.heldCount ?? 0;
    const payload = slackPayload(alert, { interactivity: this.interactive(r.destination) });
    if (heldCount) {
      payload.blocks.push(...heldBlocks(held, heldCount));
      payload.text = `${payload.text} (and ${heldCount} more)`;
    }
    const ref = await this.postTo(r.destination, payload);
    if (heldCount) {
      // Only what this message listed goes; anything held meanwhile waits for the next one.
      const told = new Set(held.map((entry) => entry.findingId));
      await this.options.state.update<DestinationState>(
        stateKey,
        (current) =>
          current && {
            ...current,
            held: current.held.filter((entry) => !told.has(entry.findingId)),
            heldCount: Math.max(0, current.heldCount - heldCount),
          },
        now,
      );
    }
    if (ref) await this.remember(r.key, ref, alert.findings, now, digest);
    return ref;
  }

  /** New findings of one check while digesting: the first opens a window, the rest merge into it. */
  private async digest(r: RoutedAlert, checkId: string, findings: Finding[], now: Date): Promise<void> {
    const key = digestKey(r.key, checkId);
    const nowMs = now.getTime();
    const current = await this.options.state.get<DigestState>(key);
    if (current && current.windowEnd > nowMs) return this.mergeDigest(r, key, findings, now);

    const posted = await this.post(r, subAlert(r.alert, findings), now, false, key);
    if (posted === HELD) return;
    const windowMinutes = r.digestWindowMinutes;
    await this.options.state.update<DigestState>(
      key,
      (latest) =>
        // Another invocation opened a window meanwhile: its message stays the digest, ours stands alone.
        latest && latest.windowEnd > nowMs && latest.ref?.ts !== posted?.ts
          ? undefined
          : {
              checkId,
              windowEnd: nowMs + windowMinutes * 60_000,
              windowMinutes,
              ...(posted ? { ref: posted } : {}),
              entries: findings.map(digestEntry),
              count: findings.length,
            },
      now,
    );
  }

  private async mergeDigest(r: RoutedAlert, key: string, findings: Finding[], now: Date): Promise<void> {
    const incoming = findings.map(digestEntry);
    const state = await this.options.state.update<DigestState>(
      key,
      (current) => {
        if (!current) return undefined;
        const merged = mergeEntries(current.entries, incoming);
        return { ...current, entries: merged.entries, count: current.count + merged.added };
      },
      now,
    );
    const api = this.options.slack;
    if (r.destination.kind !== "slack" || !api || !state?.ref) {
      // Webhook mode cannot edit what it posted: the next message to the channel carries these.
      await this.hold(r.key, findings, now);
      return;
    }
    try {
      await api.update(state.ref, digestPayload(state, now));
      await this.remember(r.key, state.ref, findings, now, key);
    } catch (error) {
      if (!(error instanceof SlackApiError && MESSAGE_GONE.has(error.code))) throw error;
      // Someone deleted the digest: a new message takes over the window.
      this.options.logger?.warn("Slack digest message gone; posting a new one", {
        destination: r.key,
        code: error.code,
      });
      const ref = await this.postTo(r.destination, digestPayload(state, now));
      if (!ref) return;
      await this.options.state.update<DigestState>(key, (current) => current && { ...current, ref }, now);
      await this.remember(r.key, ref, findings, now, key);
    }
  }

  /** Bot mode: findings already announced here get their message updated; the rest are returned as new. */
  private async updateExisting(r: RoutedAlert, now: Date): Promise<Finding[]> {
    const api = this.options.slack;
    if (!api) return r.alert.findings;
    const stored = await this.options.state.getMany<MessageState>(
      r.alert.findings.map((finding) => messageKey(r.key, finding.id)),
    );
    const fresh: Finding[] = [];
    const messages = new Map<string, { message: MessageState; findings: Finding[] }>();
    for (const finding of r.alert.findings) {
      const message = stored.get(messageKey(r.key, finding.id));
      if (!message?.ref?.ts) {
        fresh.push(finding);
        continue;
      }
      const id = `${message.ref.channel}/${message.ref.ts}`;
      const group = messages.get(id) ?? { message, findings: [] };
      group.findings.push(finding);
      messages.set(id, group);
    }
    for (const { message, findings } of messages.values()) {
      try {
        const updated = message.digestKey
          ? await this.updateDigest(api, message, findings, now)
          : await this.updateAlert(api, r, message, findings, now);
        if (!updated) fresh.push(...findings);
      } catch (error) {
        if (!(error instanceof SlackApiError && MESSAGE_GONE.has(error.code))) throw error;
        this.options.logger?.warn("Slack message cannot be updated; posting a new one", {
          destination: r.key,
          code: error.code,
        });
        fresh.push(...findings);
      }
    }
    return fresh;
  }

  /** The original alert redrawn with every finding it showed (the changed ones as they are now). */
  private async updateAlert(
    api: SlackWebApi,
    r: RoutedAlert,
    message: MessageState,
    changed: Finding[],
    now: Date,
  ): Promise<boolean> {
    const changedIds = new Set(changed.map((f) => f.id));
    const others = await this.options.findings.getMany(
      message.findingIds.filter((id) => !changedIds.has(id)),
    );
    const findings = [
      ...message.findingIds.flatMap((id) => changed.find((f) => f.id === id) ?? others.get(id) ?? []),
      ...changed.filter((f) => !message.findingIds.includes(f.id)),
    ];
    const payload = slackPayload(subAlert(r.alert, findings), {
      interactivity: this.interactive(r.destination),
    });
    const status = changed.map((f) => `${oneLine(f.checkId, 64)} ${findingOutcome(f)}`).join(", ");
    payload.blocks.splice(1, 0, {
      type: "context",
      elements: [
        { type: "mrkdwn", text: escapeMrkdwn(`Updated ${now.toISOString().slice(0, 19)}Z: ${status}`) },
      ],
    });
    await api.update(message.ref, payload);
    return true;
  }

  /** A changed finding inside a digest: its line is redrawn, as long as the digest is still that message. */
  private async updateDigest(
    api: SlackWebApi,
    message: MessageState,
    changed: Finding[],
    now: Date,
  ): Promise<boolean> {
    const key = message.digestKey;
    if (!key) return false;
    const state = await this.options.state.update<DigestState>(
      key,
      (current) => {
        if (current?.ref?.ts !== message.ref.ts) return undefined;
        const merged = mergeEntries(current.entries, changed.map(digestEntry));
        return { ...current, entries: merged.entries, count: current.count + merged.added };
      },
      now,
    );
    if (state?.ref?.ts !== message.ref.ts) return false; // a later window replaced it: post anew
    await api.update(message.ref, digestPayload(state, now));
    return true;
  }

  private async postTo(
    destination: Destination,
    payload: SlackPayload,
  ): Promise<SlackMessageRef | undefined> {
    if (destination.kind === "slack") {
      const api = this.options.slack;
      if (!api) throw new RoutedDeliveryError("no Slack bot token configured", false);
      return api.postMessage(destination.channel, payload);
    }
    if (destination.kind === "webhook") {
      const { webhook } = this.options;
      if (!webhook) throw new RoutedDeliveryError("no Slack webhook configured", false);
      await webhook.postPayload(payload);
      return undefined;
    }
    throw new RoutedDeliveryError(`not a Slack destination: ${destination.kind}`, false);
  }

  /** Counts a new message against the channel's per-minute limit; false when the limit is reached. */
  private async takeSlot(destination: string, now: Date): Promise<boolean> {
    const minute = Math.floor(now.getTime() / 60_000);
    const max = this.options.settings.maxPerMinute;
    let allowed = false;
    await this.options.state.update<DestinationState>(
      destinationStateKey(destination),
      (current) => {
        const base = current ?? { minute, sent: 0, held: [], heldCount: 0 };
        allowed = base.minute !== minute || base.sent < max;
        if (!allowed) return undefined;
        return base.minute === minute ? { ...base, sent: base.sent + 1 } : { ...base, minute, sent: 1 };
      },
      now,
    );
    return allowed;
  }

  /** Folds findings into the destination's held list; the next message there lists them. */
  private async hold(destination: string, findings: Finding[], now: Date): Promise<void> {
    const incoming: DigestEntry[] = findings.map(digestEntry);
    await this.options.state.update<DestinationState>(
      destinationStateKey(destination),
      (current) => {
        const base = current ?? { minute: 0, sent: 0, held: [], heldCount: 0 };
        const merged = mergeEntries(base.held, incoming);
        return { ...base, held: merged.entries, heldCount: base.heldCount + merged.added };
      },
      now,
    );
  }

  private async remember(
    destination: string,
    ref: SlackMessageRef,
    findings: Finding[],
    now: Date,
    digest?: string,
  ): Promise<void> {
    const findingIds = findings.map((f) => f.id);
    await Promise.all(
      findings.map((finding) =>
        this.options.state.put<MessageState>(
          messageKey(destination, finding.id),
          digest ? { ref, findingIds: [finding.id], digestKey: digest } : { ref, findingIds },
          now,
        ),
      ),
    );
  }

  private interactive(destination: Destination): boolean {
    return destination.kind === "slack" && this.options.settings.slack.interactivity;
  }
}

function subAlert(alert: Alert, findings: Finding[]): Alert {
  return { ...alert, findings, severity: highest(findings.map((f) => f.severity)) };
}
