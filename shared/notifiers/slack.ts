import { logger } from "../log";
import { SecretNotSetError } from "./secret-value";
import type { Severity } from "../core/severity";
import type { Finding } from "../findings/model";
import type { Alert, Notifier } from "./alert";
import {
  actorSummary,
  TAMPERING_HEADLINE,
  tamperingLines,
  alertSubject,
  consoleLink,
  findingOutcome,
  oneLine,
  orderFindings,
  originSummary,
  remediationSummary,
  suppressionSummary,
  truncate,
  undoCommand,
  approveCommand,
} from "./format";
import { redactUrls } from "./redact";

// Block Kit limits (https://api.slack.com/reference/block-kit/blocks): a header's text is at most
// 150 characters, a section's text 3000, each of its (at most 10) fields 2000.
const HEADER_MAX = 150;
const SECTION_TEXT_MAX = 3000;
const FIELD_MAX = 2000;
const CONTEXT_TEXT_MAX = 2000;
// One line of user text, capped before escaping (which can grow it fivefold) so a field always fits.
const LINE_MAX = 300;

const SEVERITY_EMOJI: Record<Severity, string> = {
  CRITICAL: ":rotating_light:",
  HIGH: ":red_circle:",
  MEDIUM: ":large_orange_circle:",
  LOW: ":large_yellow_circle:",
  INFORMATIONAL: ":information_source:",
};

function severityEmoji(severity: Severity): string {
  return SEVERITY_EMOJI[severity] ?? ":grey_question:";
}

/**
 * Slack parses `<…>` in mrkdwn as links and mentions (`<!channel>`, `<https://evil|click here>`), so
 * the three control characters are escaped in everything that did not come from Vigil itself.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A mrkdwn link; the URL is Vigil's own (console link, components URL-encoded), the label is user text. */
function mrkdwnLink(url: string, label: string): string {
  return `<${escapeMrkdwn(url)}|${escapeMrkdwn(oneLine(label, LINE_MAX))}>`;
}

/** Lines (already mrkdwn) under a bold title, as many as fit in `max`, then a count of the rest. */
function listText(title: string, lines: string[], max: number): string {
  let text = title ? `*${title}*` : "";
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const more = `_…and ${lines.length - index} more_`;
    const next = text ? `${text}\n${line}` : line;
    const remainingAfter = lines.length - index - 1;
    // Leave room for the "and N more" line unless this is the last one.
    if (next.length + (remainingAfter ? more.length + 1 : 0) > max) {
      return text ? `${text}\n${more}` : more;
    }
    text = next;
  }
  return text;
}

export interface SlackText {
  type: "mrkdwn" | "plain_text";
  text: string;
  emoji?: boolean;
}

/** A Block Kit button; Vigil's only one is Approve (action_id `vigil_approve`, value = the finding id). */
export interface SlackButton {
  type: "button";
  text: SlackText;
  action_id: string;
  value: string;
  style?: "primary" | "danger";
  confirm?: { title: SlackText; text: SlackText; confirm: SlackText; deny: SlackText };
}

export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text?: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] }
  | { type: "actions"; block_id?: string; elements: SlackButton[] };

/** The interactivity handler (approval) matches on this action id; its value is the finding id. */
export const APPROVE_ACTION_ID = "vigil_approve";
// An actions block holds at most 25 elements; a message never needs that many buttons.
const MAX_APPROVE_BUTTONS = 5;

export interface SlackPayloadOptions {
  /** Slack interactivity is configured: dry-run findings get an Approve button. */
  interactivity?: boolean;
}

function plain(text: string): SlackText {
  return { type: "plain_text", text, emoji: true };
}

/** Approve button for a dry-run finding, with a confirm dialog (Block Kit limits: title 100, text 300, buttons 30). */
export function approveButton(finding: Finding): SlackButton {
  return {
    type: "button",
    text: plain(truncate(`Approve ${oneLine(finding.checkId, 40)}`, 75)),
    action_id: APPROVE_ACTION_ID,
    value: finding.id,
    style: "primary",
    confirm: {
      title: plain("Run the planned remediation?"),
      text: plain(truncate(`Vigil will ${oneLine(finding.remediation?.action ?? "remediate")} now.`, 300)),
      confirm: plain("Approve"),
      deny: plain("Cancel"),
    },
  };
}

export interface SlackPayload {
  /** Shown in notifications and by clients that cannot render blocks. */
  text: string;
  blocks: SlackBlock[];
}

function mrkdwn(text: string): SlackText {
  return { type: "mrkdwn", text };
}

function checkLine(finding: Finding): string {
  const controls = finding.controls.map((control) => oneLine(control, 64)).join(", ");
  const detail = truncate(`${controls ? ` (${controls})` : ""}: ${findingOutcome(finding)}`, LINE_MAX);
  return `*${escapeMrkdwn(oneLine(finding.checkId, 64))}*${escapeMrkdwn(detail)}`;
}

function actionLine(finding: Finding): string {
  const suppression = suppressionSummary(finding);
  const exempt = suppression ? `; exempt: ${suppression}` : "";
  const line = escapeMrkdwn(truncate(`${remediationSummary(finding)}${exempt}`, LINE_MAX));
  return `*${escapeMrkdwn(oneLine(finding.checkId, 64))}*: ${line}`;
}

/** The Block Kit message for an alert. Pure, so tests and previews can inspect it. */
export function slackPayload(alert: Alert, options: SlackPayloadOptions = {}): SlackPayload {
  const findings = orderFindings(alert.findings);
  const { resource, actor } = alert;
  const emoji = severityEmoji(alert.severity);
  const titles = [...new Set(findings.map((finding) => oneLine(finding.title)))].join(" / ") || "Vigil alert";

  const resourceName = resource.name ? `${resource.id} (${resource.name})` : resource.id;
  const resourceField = [
    "*Resource*",
    mrkdwnLink(consoleLink(resource), resourceName),
    escapeMrkdwn(
      `${oneLine(resource.type, 100)} in ${oneLine(resource.account, 40)} / ${oneLine(resource.region, 40)}`,
    ),
  ].join("\n");

  const blocks: SlackBlock[] = [
    // plain_text is not parsed for links or mentions, so the header needs no escaping.
    {
      type: "header",
      text: { type: "plain_text", text: truncate(`${emoji} ${titles}`, HEADER_MAX), emoji: true },
    },
    {
      type: "section",
      fields: [
        mrkdwn(`*Severity*\n${emoji} ${escapeMrkdwn(oneLine(String(alert.severity), 20))}`),
        mrkdwn(listText("Checks", findings.map(checkLine), FIELD_MAX)),
        mrkdwn(truncate(resourceField, FIELD_MAX)),
        mrkdwn(`*Who*\n${escapeMrkdwn(truncate(actorSummary(actor), LINE_MAX))}`),
        mrkdwn(`*From where*\n${escapeMrkdwn(truncate(originSummary(actor), LINE_MAX))}`),
        mrkdwn(`*When*\n${escapeMrkdwn(alert.eventTime ? oneLine(alert.eventTime, 40) : "unknown")}`),
        mrkdwn(listText("What Vigil did", findings.map(actionLine), FIELD_MAX)),
      ],
    },
  ];
  if (alert.tampering) {
    // Right under the header: who turned detection off matters more than which setting it was.
    const who = tamperingLines(actor).map(
      ({ label, value }) => `*${label}* ${escapeMrkdwn(truncate(value, LINE_MAX))}`,
    );
    blocks.splice(1, 0, {
      type: "section",
      text: mrkdwn(listText(`:rotating_light: ${TAMPERING_HEADLINE}`, who, SECTION_TEXT_MAX)),
    });
  }

  const problems = findings
    .filter((finding) => finding.summary)
    .map(
      (finding) =>
        `• *${escapeMrkdwn(oneLine(finding.checkId, 64))}* ${escapeMrkdwn(oneLine(finding.summary, LINE_MAX))}`,
    );
  if (problems.length)
    blocks.push({ type: "section", text: mrkdwn(listText("", problems, SECTION_TEXT_MAX)) });

  const undo = findings.flatMap((finding) => {
    const command = undoCommand(finding);
    return command
      ? [`Undo ${escapeMrkdwn(oneLine(finding.checkId, 64))}: \`${escapeMrkdwn(command)}\``]
      : [];
  });
  if (undo.length) blocks.push({ type: "context", elements: [mrkdwn(listText("", undo, CONTEXT_TEXT_MAX))] });

  const planned = findings.filter((finding) => approveCommand(finding));
  const approve = planned.map(
    (finding) =>
      `Approve ${escapeMrkdwn(oneLine(finding.checkId, 64))}: \`${escapeMrkdwn(approveCommand(finding) ?? "")}\``,
  );
  if (approve.length)
    blocks.push({ type: "context", elements: [mrkdwn(listText("", approve, CONTEXT_TEXT_MAX))] });
  if (options.interactivity && planned.length) {
    blocks.push({ type: "actions", elements: planned.slice(0, MAX_APPROVE_BUTTONS).map(approveButton) });
  }

  return { text: escapeMrkdwn(alertSubject(alert)), blocks };
}

/** A failed webhook call. The message never contains the webhook URL: it is the credential. */
export class SlackWebhookError extends Error {
  override readonly name = "SlackWebhookError";
  constructor(
    message: string,
    /** HTTP status, when Slack answered. */
    readonly status?: number,
    /** False for answers that will not change on retry (e.g. 400 invalid_payload, 404 no_service). */
    readonly retryable = true,
  ) {
    super(message);
  }
}

/** Removes the webhook URL, its path and its path segments from text that might echo them. */
function scrub(text: string, webhookUrl: string): string {
  let clean = text;
  const secrets = [webhookUrl];
  try {
    const { pathname } = new URL(webhookUrl);
    secrets.push(pathname, ...pathname.split("/").filter((segment) => segment.length >= 8));
  } catch {
    // Not a URL at all: the whole string is still scrubbed below.
  }
  for (const secret of secrets.filter((s) => s.length > 1)) clean = clean.split(secret).join("[redacted]");
  return redactUrls(clean);
}

function hasCode(value: unknown): value is { code: unknown } {
  return typeof value === "object" && value !== null && "code" in value;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `timed out after ${timeoutMs} ms`;
  }
  const message = error instanceof Error ? error.message : String(error);
  // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND, …) in the cause.
  const cause = error instanceof Error ? error.cause : undefined;
  const detail = hasCode(cause) ? String(cause.code) : cause instanceof Error ? cause.message : "";
  return detail ? `${message} (${detail})` : message;
}

export interface SlackNotifierOptions {
  /** Resolves the incoming-webhook URL (a secret), e.g. `slackWebhookFromSecret(...)`. */
  webhookUrl: () => Promise<string>;
  fetch?: typeof fetch;
  /** Per request, including reading the answer. */
  timeoutMs?: number;
  /** Told when the webhook secret has no value yet (the alert is skipped, not failed). */
  onNotConfigured?: (message: string) => void;
}

/** Posts alerts to a Slack incoming webhook. */
export class SlackNotifier implements Notifier {
  readonly name = "slack";
  private readonly webhookUrl: () => Promise<string>;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly notConfigured: (message: string) => void;

  constructor(options: SlackNotifierOptions) {
    this.webhookUrl = options.webhookUrl;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.notConfigured =
      options.onNotConfigured ?? ((message) => logger.warn(`Slack alert skipped: ${message}`));
  }

  send(alert: Alert): Promise<void> {
    return this.postPayload(slackPayload(alert));
  }

  /** Posts a ready-made message (the router's digests and held-back summaries use it). */
  async postPayload(payload: SlackPayload): Promise<void> {
    const body = JSON.stringify(payload);
    let url: string;
    try {
      url = await this.webhookUrl();
    } catch (error) {
      // Slack is optional: a secret nobody has filled in yet must not fail (and retry) every event.
      if (!(error instanceof SecretNotSetError)) throw error;
      this.notConfigured(error.message);
      return;
    }
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // Deliberately no `cause`: fetch errors can carry the URL ("Failed to parse URL from …").
      throw new SlackWebhookError(
        `Slack webhook request failed: ${scrub(describeFetchError(error, this.timeoutMs), url)}`,
      );
    }
    // Read the answer even on success so the connection is released; Slack explains errors in it.
    const answer = await response.text().catch(() => "");
    if (!response.ok) {
      const detail = answer ? `: ${scrub(oneLine(answer, 200), url)}` : "";
      const retryable = response.status === 429 || response.status >= 500;
      throw new SlackWebhookError(
        `Slack webhook answered HTTP ${response.status}${detail}`,
        response.status,
        retryable,
      );
    }
  }
}
