import type { Actor } from "../core/actor";
import type { ResourceRef } from "../core/resource";
import { severityRank } from "../core/severity";
import type { Finding } from "../findings/model";
import type { Alert } from "./alert";

/** SNS: "must be less than 100 characters long" (email subject lines). */
export const SUBJECT_MAX_LENGTH = 99;

// Everything below formats text that came from CloudTrail, tags or rule descriptions, i.e. from
// whoever made the change. Line breaks and control characters in it could forge extra lines in an
// alert ("Vigil did: nothing to worry about"), and bidi overrides could make an id read differently
// than it is, so single-line fields are flattened and capped.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;
const FIELD_MAX_LENGTH = 500;

/** Cut `text` to at most `max` code points, marking the cut with an ellipsis. */
export function truncate(text: string, max: number, ellipsis = "…"): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  const ellipsisPoints = Array.from(ellipsis);
  if (max <= ellipsisPoints.length) return points.slice(0, max).join("");
  return points.slice(0, max - ellipsisPoints.length).join("") + ellipsis;
}

/** User-supplied text made safe to print on one line. */
export function oneLine(text: string, max = FIELD_MAX_LENGTH): string {
  return truncate(text.replace(UNSAFE_IN_LINE, " ").replace(/\s+/g, " ").trim(), max);
}

/**
 * Printable ASCII only (SNS subjects reject anything else): accents are stripped, typographic
 * dashes and ellipses spelled out, anything left becomes `?`.
 */
export function toAscii(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(UNSAFE_IN_LINE, " ")
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
}

/** Most severe first. Stable, so findings of equal severity keep the pipeline's order. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/** Distinct check ids, most severe first. */
export function alertCheckIds(alert: Pick<Alert, "findings">): string[] {
  return [...new Set(orderFindings(alert.findings).map((finding) => finding.checkId))];
}

/** One word or two for where a finding ended up; failures win over the status so they are never hidden. */
export function findingOutcome(finding: Finding): string {
  if (finding.remediation?.result === "failed") return "remediation FAILED";
  switch (finding.status) {
    case "REMEDIATED":
      return "remediated";
    case "RESOLVED":
      return "resolved";
    case "SUPPRESSED":
      return "suppressed";
    case "OPEN":
      return finding.remediation?.result === "planned" ? "dry-run" : "open";
    default:
      return String(finding.status).toLowerCase();
  }
}

const OUTCOME_ORDER = ["remediation FAILED", "open", "dry-run", "remediated", "suppressed", "resolved"];

/** The distinct outcomes of an alert's findings, the ones needing attention first. */
export function alertOutcome(alert: Pick<Alert, "findings">): string {
  const outcomes = [...new Set(alert.findings.map(findingOutcome))];
  const rank = (outcome: string) => {
    const index = OUTCOME_ORDER.indexOf(outcome);
    return index < 0 ? OUTCOME_ORDER.length : index;
  };
  return outcomes.sort((a, b) => rank(a) - rank(b)).join(", ") || "no findings";
}

/**
 * `[CRITICAL] Vigil: sg-07c1e5a9d3b2f4068 EC2.19, EC2.13 +2 - remediated`, always shorter than 100
 * characters and printable ASCII, as SNS requires of subjects. As many check ids as fit are named
 * and the rest counted, so a long list never pushes the outcome out.
 */
export function alertSubject(alert: Alert): string {
  const prefix = `[${truncate(toAscii(String(alert.severity)), 16, "...")}] Vigil: `;
  const resource = truncate(toAscii(alert.resource.id) || "unknown resource", 40, "...");
  const suffix = ` - ${toAscii(alertOutcome(alert))}`;
  const ids = alertCheckIds(alert)
    .map((id) => truncate(toAscii(id), 24, "..."))
    .filter((id) => id.length > 0);
  const fixed = prefix.length + resource.length + suffix.length;
  let checks = "";
  for (let named = ids.length; named >= 0; named--) {
    const rest = ids.length - named;
    const listed = ids.slice(0, named).join(", ");
    const more = rest === 0 ? "" : named === 0 ? `${rest} check${rest === 1 ? "" : "s"}` : `+${rest}`;
    checks = [listed, more].filter(Boolean).join(" ");
    if (fixed + 1 + checks.length <= SUBJECT_MAX_LENGTH) break;
  }
  const subject = `${prefix}${resource}${checks ? ` ${checks}` : ""}${suffix}`;
  // The outcome list is bounded but a long severity+resource+outcome could still overflow: cut last.
  return truncate(subject, SUBJECT_MAX_LENGTH, "...");
}

/** The console host for the ARN's partition (GovCloud and China have their own consoles). */
function consoleHost(resource: ResourceRef): string {
  const partition = resource.arn.split(":")[1];
  const domain =
    partition === "aws-us-gov"
      ? "console.amazonaws-us-gov.com"
      : partition === "aws-cn"
        ? "console.amazonaws.cn"
        : "console.aws.amazon.com";
  // The region becomes part of a host name, so only a well-formed one is used.
  return /^[a-z]{2}(-[a-z]+)+-\d+$/.test(resource.region) ? `${resource.region}.${domain}` : domain;
}

/**
 * Where to look at the resource in the AWS console. Security groups open the EC2 page; any other
 * type opens the AWS Config resource timeline, which works for every type Config records (Vigil's
 * Config triggers need Config recording anyway).
 */
export function consoleLink(resource: ResourceRef): string {
  const region = encodeURIComponent(resource.region);
  const base = `https://${consoleHost(resource)}`;
  if (resource.type === "AWS::EC2::SecurityGroup") {
    return `${base}/ec2/home?region=${region}#SecurityGroup:groupId=${encodeURIComponent(resource.id)}`;
  }
  return (
    `${base}/config/home?region=${region}#/resources/details` +
    `?resourceId=${encodeURIComponent(resource.id)}&resourceType=${encodeURIComponent(resource.type)}`
  );
}

/** The command that puts back what a remediation removed, when there is something to put back. */
export function undoCommand(finding: Finding): string | undefined {
  const remediation = finding.remediation;
  if (!remediation?.undo || remediation.result !== "succeeded") return undefined;
  // Finding ids are `vf-<hex>`; anything else is quoted so a copied command cannot run more than undo.
  const id = /^[A-Za-z0-9._:-]+$/.test(finding.id) ? finding.id : `'${finding.id.replace(/'/g, `'\\''`)}'`;
  return `npm run vigil -- undo ${id}`;
}

/** A finding id safe to paste into a shell: `vf-<hex>` as is, anything else single-quoted. */
function shellId(id: string): string {
  return /^[A-Za-z0-9._:-]+$/.test(id) ? id : `'${id.replace(/'/g, `'\\''`)}'`;
}

/** The command that runs a dry-run's planned remediation, while the plan is what the finding records. */
export function approveCommand(finding: Finding): string | undefined {
  if (finding.status !== "OPEN" || finding.remediation?.result !== "planned") return undefined;
  return `npm run vigil -- approve ${shellId(finding.id)}`;
}

/** What Vigil did (or, in dry-run, would do) about one finding. */
export function remediationSummary(finding: Finding): string {
  const remediation = finding.remediation;
  if (!remediation) {
    if (finding.status === "SUPPRESSED") return "nothing: the finding is exempt";
    if (finding.status === "RESOLVED") return "nothing: the violation is gone";
    return "reported only (no automatic remediation for this check)";
  }
  const action = oneLine(remediation.action);
  const detail = remediation.detail ? ` (${oneLine(remediation.detail)})` : "";
  const at = remediation.time ? ` at ${oneLine(remediation.time, 40)}` : "";
  switch (remediation.result) {
    case "succeeded":
      return `remediated (mode ${remediation.mode})${at}: ${action}${detail}`;
    case "planned":
      return `dry-run, nothing changed; would ${action}${detail}`;
    case "already-gone":
      return `nothing to do, already gone: ${action}${detail}`;
    case "skipped":
      return `skipped (mode ${remediation.mode}): ${action}${detail}`;
    case "failed":
      return `remediation FAILED (mode ${remediation.mode})${at}: ${action}${detail}`;
    case "undone":
      return `undone, put back what was removed: ${action}${detail}`;
    default:
      return `${String(remediation.result)} (mode ${remediation.mode}): ${action}${detail}`;
  }
}

/** Why a finding is suppressed, when it is. */
export function suppressionSummary(finding: Finding): string | undefined {
  if (finding.status !== "SUPPRESSED" && !finding.suppression) return undefined;
  const suppression = finding.suppression;
  if (!suppression) return "exempt";
  const parts = [`${suppression.source} exemption`];
  parts.push(suppression.reason ? `reason: ${oneLine(suppression.reason)}` : "no reason given");
  if (suppression.until) parts.push(`until ${oneLine(suppression.until, 40)}`);
  return parts.join(", ");
}

/** Who made the change: principal and type, the role behind a session, and the service acting for them. */
export function actorSummary(actor: Actor | undefined): string {
  if (!actor) return "unknown (no CloudTrail identity, e.g. detected from an AWS Config change)";
  const principal = oneLine(actor.arn ?? actor.userName ?? actor.principalId ?? "unknown principal");
  const details = [oneLine(actor.type, 40)];
  if (actor.sessionIssuerArn && actor.sessionIssuerArn !== actor.arn) {
    details.push(`role ${oneLine(actor.sessionIssuerArn)}`);
  }
  if (actor.invokedBy) details.push(`invoked by ${oneLine(actor.invokedBy)}`);
  if (actor.mfaAuthenticated !== undefined) details.push(actor.mfaAuthenticated ? "MFA" : "no MFA");
  return `${principal} (${details.join(", ")})`;
}

/** Where the change came from: source IP, console or not, user agent. */
export function originSummary(actor: Actor | undefined): string {
  if (!actor) return "unknown";
  const parts: string[] = [];
  if (actor.sourceIp) parts.push(oneLine(actor.sourceIp, 100));
  if (actor.fromConsole !== undefined)
    parts.push(actor.fromConsole ? "AWS console" : "API/CLI/SDK (not the console)");
  if (actor.userAgent) parts.push(`user agent ${oneLine(actor.userAgent)}`);
  return parts.join(", ") || "unknown";
}

function resourceLabel(resource: ResourceRef): string {
  const kind = resource.type === "AWS::EC2::SecurityGroup" ? "security group" : oneLine(resource.type, 100);
  const name = resource.name ? ` (${oneLine(resource.name, 256)})` : "";
  return `${kind} ${oneLine(resource.id, 256)}${name}`;
}

export const TAMPERING_HEADLINE = "Logging or threat detection was turned off or weakened. Was this you?";

/** For a tampering alert: the actor first, in three short lines a responder can act on. */
export function tamperingLines(actor: Actor | undefined): { label: string; value: string }[] {
  return [
    { label: "By", value: actorSummary(actor) },
    { label: "From IP", value: actor?.sourceIp ? oneLine(actor.sourceIp, 100) : "unknown" },
    { label: "With", value: actor?.userAgent ? oneLine(actor.userAgent) : "unknown user agent" },
  ];
}

/** A plain-text alert for email, SNS subscribers and the terminal: what, where, who, when and what Vigil did. */
export function alertText(alert: Alert): string {
  const findings = orderFindings(alert.findings);
  const { resource, actor } = alert;
  const count = findings.length === 1 ? "1 finding" : `${findings.length} findings`;
  const lines: string[] = [
    `[${oneLine(String(alert.severity), 20)}] Vigil: ${count} on ${resourceLabel(resource)}: ${alertOutcome(alert)}`,
  ];
  if (alert.tampering) {
    lines.push("", TAMPERING_HEADLINE);
    for (const { label, value } of tamperingLines(actor)) lines.push(`    ${label}: ${value}`);
  }
  lines.push("", "Findings");
  for (const finding of findings) {
    lines.push(`- ${oneLine(finding.checkId, 64)} [${finding.severity}] ${oneLine(finding.title)}`);
    if (finding.controls.length)
      lines.push(`    Controls: ${finding.controls.map((c) => oneLine(c, 64)).join(", ")}`);
    lines.push(`    Status: ${finding.status}`);
    if (finding.summary) lines.push(`    Problem: ${oneLine(finding.summary, 1000)}`);
    const suppression = suppressionSummary(finding);
    if (suppression) lines.push(`    Exempt: ${suppression}`);
    lines.push(`    Vigil did: ${remediationSummary(finding)}`);
    const undo = undoCommand(finding);
    if (undo) lines.push(`    Undo: ${undo}`);
    const approve = approveCommand(finding);
    if (approve) lines.push(`    Approve: ${approve}`);
    lines.push(`    Finding id: ${oneLine(finding.id, 100)}`);
  }
  lines.push(
    "",
    "Resource",
    `    Type: ${oneLine(resource.type, 100)}`,
    `    Id: ${oneLine(resource.id, 256)}`,
  );
  if (resource.name) lines.push(`    Name: ${oneLine(resource.name, 256)}`);
  lines.push(
    `    Account: ${oneLine(resource.account, 40)}`,
    `    Region: ${oneLine(resource.region, 40)}`,
    `    ARN: ${oneLine(resource.arn, 1000)}`,
    `    Console: ${consoleLink(resource)}`,
    "",
    "Who",
    `    Principal: ${actorSummary(actor)}`,
  );
  if (actor?.accountId && actor.accountId !== resource.account) {
    lines.push(`    From account: ${oneLine(actor.accountId, 40)}`);
  }
  if (actor) {
    lines.push(`    Source IP: ${actor.sourceIp ? oneLine(actor.sourceIp, 100) : "unknown"}`);
    lines.push(`    User agent: ${actor.userAgent ? oneLine(actor.userAgent) : "unknown"}`);
    if (actor.fromConsole !== undefined)
      lines.push(`    Console: ${actor.fromConsole ? "yes" : "no (API, CLI or SDK)"}`);
    if (actor.invokedBy) lines.push(`    Invoked by: ${oneLine(actor.invokedBy)}`);
    if (actor.accessKeyId) lines.push(`    Access key: ${oneLine(actor.accessKeyId, 40)}`);
  }
  lines.push("", "When", `    Event time: ${alert.eventTime ? oneLine(alert.eventTime, 40) : "unknown"}`);
  if (alert.eventId) lines.push(`    Event id: ${oneLine(alert.eventId, 100)}`);
  return lines.join("\n");
}
