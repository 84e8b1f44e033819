import type { Actor } from "../core/actor";
import type { Finding } from "../findings/model";
import { truncate } from "./text";

/** ASFF ProductFields limits: 50 pairs, keys up to 128 characters, values up to 2048. */
const MAX_FIELDS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 2048;
const PREFIX = "vigil";

type Value = string | number | boolean | undefined;

/**
 * Who made the change, from where, with what: identifiers only. Vigil's Actor never holds secrets
 * (CloudTrail has none); the access key *id* is an identifier CloudTrail and GuardDuty show too.
 */
function actorFields(actor: Actor | undefined): [string, Value][] {
  if (!actor) return [];
  return [
    ["Actor/Type", actor.type],
    ["Actor/Arn", actor.arn],
    ["Actor/PrincipalId", actor.principalId],
    ["Actor/AccountId", actor.accountId],
    ["Actor/UserName", actor.userName],
    ["Actor/SessionIssuerArn", actor.sessionIssuerArn],
    ["Actor/AccessKeyId", actor.accessKeyId],
    ["Actor/SourceIp", actor.sourceIp],
    ["Actor/UserAgent", actor.userAgent],
    ["Actor/InvokedBy", actor.invokedBy],
    ["Actor/MfaAuthenticated", actor.mfaAuthenticated],
    ["Actor/FromConsole", actor.fromConsole],
  ];
}

/**
 * Vigil's own view of the finding (status, remediation record, suppression, actor) as ASFF
 * ProductFields. The undo payload and the evidence stay out: they can be large, and the
 * Description already says what is wrong.
 */
export function findingProductFields(finding: Finding): Record<string, string> {
  const r = finding.remediation;
  const s = finding.suppression;
  const pairs: [string, Value][] = [
    ["FindingId", finding.id],
    ["CheckId", finding.checkId],
    ["Status", finding.status],
    ["Controls", finding.controls.join(", ") || undefined],
    ["ResourceType", finding.resource.type],
    ["ResourceId", finding.resource.id],
    ["EventTime", finding.eventTime],
    ["LastEventId", finding.eventIds.at(-1)],
    ["FirstSeen", finding.firstSeen],
    ["LastSeen", finding.lastSeen],
    ["Remediation/Id", r?.remediationId],
    ["Remediation/Mode", r?.mode],
    ["Remediation/Result", r?.result],
    ["Remediation/Action", r?.action],
    ["Remediation/Time", r?.time],
    ["Remediation/Detail", r?.detail],
    ["Suppression/Source", s?.source],
    ["Suppression/Reason", s?.reason],
    ["Suppression/Until", s?.until],
    ...actorFields(finding.actor),
  ];
  const fields: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (value === undefined || value === "") continue;
    if (Object.keys(fields).length >= MAX_FIELDS) break;
    fields[truncate(`${PREFIX}/${key}`, MAX_KEY)] = truncate(String(value), MAX_VALUE);
  }
  return fields;
}
