import type { PublishCommandInput, SNSClient } from "@aws-sdk/client-sns";
import { loadSns } from "../aws/sdk";
import type { Finding } from "../findings/model";
import type { Alert, Notifier } from "./alert";
import { alertCheckIds, alertSubject, alertText } from "./format";

/** SNS rejects messages over 256 KiB (bytes, not characters). */
export const SNS_MAX_MESSAGE_BYTES = 256 * 1024;
// Subject and message attributes count toward the same 256 KiB, so the body keeps some headroom.
const MESSAGE_BUDGET_BYTES = SNS_MAX_MESSAGE_BYTES - 8 * 1024;

/** What `trimmed` says when the payload had to shrink to fit SNS. */
export type SnsTrimLevel = "evidence" | "findings" | "text";

/** The machine-readable part of the message: everything after the last blank line. */
export interface SnsAlertPayload {
  resource: Alert["resource"];
  findings: (Finding | CompactFinding | FindingRef)[];
  actor?: Alert["actor"];
  eventTime?: string;
  eventId?: string;
  /** Present (true) when logging or detection was turned off or weakened: lead with the actor. */
  tampering?: true;
  /** Present only when something was left out to fit SNS's size limit. */
  trimmed?: SnsTrimLevel;
}

/** A finding without its evidence, history and event ids: the last resort before cutting the text. */
export type CompactFinding = Pick<
  Finding,
  "id" | "checkId" | "title" | "controls" | "severity" | "status" | "remediation" | "suppression"
>;

/** Just enough to look a finding up in the findings table. */
export type FindingRef = Pick<Finding, "id" | "checkId" | "severity" | "status">;

const TRIM_NOTES: Record<SnsTrimLevel, string> = {
  evidence:
    "Note: evidence was left out of the JSON below to fit SNS's 256 KB limit; the findings table has it.",
  findings:
    "Note: findings below are abridged (no evidence, history or event ids) to fit SNS's 256 KB limit; " +
    "the findings table has them in full.",
  text: "Note: this alert was cut to fit SNS's 256 KB limit; the findings table has the findings in full.",
};

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
function cutToBytes(text: string, maxBytes: number): string {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(Math.max(0, maxBytes)));
  return text.slice(0, read);
}

function payload(alert: Alert, findings: SnsAlertPayload["findings"], trimmed?: SnsTrimLevel): string {
  const body: SnsAlertPayload = {
    resource: alert.resource,
    findings,
    actor: alert.actor,
    eventTime: alert.eventTime,
    eventId: alert.eventId,
    ...(alert.tampering ? { tampering: true as const } : {}),
    ...(trimmed ? { trimmed } : {}),
  };
  // Indented for people reading the email; JSON.stringify never emits a blank line, so subscribers
  // find the JSON after the message's last "\n\n".
  return JSON.stringify(body, null, 2);
}

function compact(finding: Finding): CompactFinding {
  const { id, checkId, title, controls, severity, status, remediation, suppression } = finding;
  return { id, checkId, title, controls, severity, status, remediation, suppression };
}

/**
 * The SNS message body: the human text, a blank line, then JSON of the alert. Shrinks step by step
 * (evidence, then finding details, then the text itself) until it fits under SNS's limit.
 */
export function snsMessage(alert: Alert, maxBytes = MESSAGE_BUDGET_BYTES): string {
  const text = alertText(alert);
  const full = `${text}\n\n${payload(alert, alert.findings)}`;
  if (byteLength(full) <= maxBytes) return full;

  const withoutEvidence = alert.findings.map((finding) => ({ ...finding, evidence: [] }));
  const attempts: [SnsTrimLevel, SnsAlertPayload["findings"]][] = [
    ["evidence", withoutEvidence],
    ["findings", alert.findings.map(compact)],
  ];
  for (const [level, findings] of attempts) {
    const message = `${text}\n\n${TRIM_NOTES[level]}\n\n${payload(alert, findings, level)}`;
    if (byteLength(message) <= maxBytes) return message;
  }

  // Thousands of findings on one resource: keep the JSON to ids so subscribers can still look them up.
  const refs: FindingRef[] = alert.findings.map(({ id, checkId, severity, status }) => ({
    id,
    checkId,
    severity,
    status,
  }));
  let json = payload(alert, refs, "text");
  if (byteLength(json) > maxBytes / 2) json = payload(alert, [], "text");
  const tail = `\n\n${TRIM_NOTES.text}\n\n${json}`;
  const marker = "\n[...]";
  return `${cutToBytes(text, maxBytes - byteLength(tail) - byteLength(marker))}${marker}${tail}`;
}

/** The PublishCommand input for an alert; exported so the exact request can be inspected. */
export function snsPublishInput(alert: Alert, topicArn: string): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: alertSubject(alert),
    Message: snsMessage(alert),
    // Subscription filter policies match on these, e.g. {"severity": ["CRITICAL"]} or {"checkId": ["EC2.19"]}.
    MessageAttributes: {
      severity: { DataType: "String", StringValue: alert.severity },
      checkId: { DataType: "String.Array", StringValue: JSON.stringify(alertCheckIds(alert)) },
    },
  };
}

export interface SnsNotifierOptions {
  client: SNSClient;
  topicArn: string;
}

/** Publishes alerts to an SNS topic (email, chat integrations, ticketing subscribers). */
export class SnsNotifier implements Notifier {
  readonly name = "sns";
  private readonly client: SNSClient;
  private readonly topicArn: string;

  constructor(options: SnsNotifierOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
  }

  async send(alert: Alert): Promise<void> {
    const { PublishCommand } = await loadSns();
    await this.client.send(new PublishCommand(snsPublishInput(alert, this.topicArn)));
  }
}
