import type { Actor } from "../core/actor";
import { atLeast, highest, severityRank, type Severity } from "../core/severity";
import { findingId } from "../findings/id";
import type { Finding, FindingStatus, RemediationRecord } from "../findings/model";
import type { Observation } from "../resources/adapter";
import type { CheckResult } from "./evaluate";

const MAX_EVENT_IDS = 20;

/** Compare instants, not text: CloudTrail writes `…:04Z`, Config `…:04.900Z`, which sort wrongly as strings. */
function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

export interface TransitionInput {
  result: CheckResult;
  observation: Observation;
  remediation: RemediationRecord | undefined;
  actor: Actor | undefined;
  eventId: string;
  eventTime: string;
  now: Date;
  minNotifySeverity: Severity;
  flappingWindowMinutes: number;
}

export function findingIdFor(result: Pick<CheckResult, "check">, observation: Observation): string {
  const { account, region, id } = observation.resource;
  return findingId({ account, region, checkId: result.check.id, resourceId: id });
}

/** What the observation says the finding's status should be; undefined = it says nothing new. */
function targetStatus(current: Finding | undefined, input: TransitionInput): FindingStatus | undefined {
  const { result, observation, remediation } = input;
  if (result.undecided && observation.state) return undefined;
  if (result.violations.length) {
    const fixed =
      remediation?.mode === "auto" &&
      (remediation.result === "succeeded" || remediation.result === "already-gone");
    if (fixed) return "REMEDIATED";
    // A re-delivered "already gone" must not reopen what Vigil fixed.
    return current?.status === "REMEDIATED" && remediation?.result === "already-gone" ? "REMEDIATED" : "OPEN";
  }
  if (result.exempt.length) return "SUPPRESSED";
  if (!current) return undefined;
  if (!observation.state) return current.status === "RESOLVED" ? undefined : "RESOLVED";
  // Only a whole-resource view can say the violation is gone; REMEDIATED already says it.
  if (observation.complete && (current.status === "OPEN" || current.status === "SUPPRESSED"))
    return "RESOLVED";
  return undefined;
}

/** The check's severity, unless a violation says it is worse or milder here (e.g. a vulnerable image in use). */
function findingSeverity(result: CheckResult): Severity {
  const violations = result.violations.length ? result.violations : result.exempt.map((e) => e.violation);
  if (!violations.length) return result.check.severity;
  return highest(violations.map((v) => v.severity ?? result.check.severity));
}

/** Only news is announced: new problems, fixes, resolutions. Suppressions are recorded quietly. */
function announces(status: FindingStatus, severity: Severity, minimum: Severity): boolean {
  return status !== "SUPPRESSED" && atLeast(severity, minimum);
}

/**
 * The finding after this observation, or undefined when nothing changes (a duplicate delivery,
 * a stale Config item, a compliant resource with no finding). Pure.
 */
export function nextFinding(current: Finding | undefined, input: TransitionInput): Finding | undefined {
  const { result, observation, eventId, now } = input;
  const redelivered = current?.eventIds.includes(eventId) === true;
  // A redelivery changes nothing, except when it retries a remediation that failed.
  const retriedRemediation = current?.remediation?.result === "failed" && input.remediation !== undefined;
  if (redelivered && !retriedRemediation) return undefined;
  if (current?.observedAt && observation.complete && isBefore(observation.observedAt, current.observedAt))
    return undefined;
  const status = targetStatus(current, input);
  if (!status) return undefined;

  const time = now.toISOString();
  const check = result.check;
  const severity = findingSeverity(result);
  const changed = status !== current?.status;
  // A check that re-alerts on escalation (CheckDefinition.realert) announces a rise in severity too.
  const escalated =
    check.realert === "on-severity-increase" &&
    !changed &&
    (status === "OPEN" || status === "REMEDIATED") &&
    current !== undefined &&
    severityRank(severity) > severityRank(current.severity);
  const violations = result.violations.length ? result.violations : result.exempt.map((e) => e.violation);
  const exemption = result.violations.length ? undefined : result.exempt[0]?.exemption;
  const keepOldRemediation =
    current?.remediation?.result === "succeeded" &&
    (input.remediation?.result === "already-gone" || !input.remediation);
  const remediation = keepOldRemediation ? current?.remediation : (input.remediation ?? current?.remediation);
  const since = now.getTime() - input.flappingWindowMinutes * 60_000;
  const remediationTimes = [
    ...(current?.remediationTimes ?? []).filter((t) => Date.parse(t) >= since),
    ...(input.remediation?.result === "succeeded" ? [time] : []),
  ];

  return {
    id: findingIdFor(result, observation),
    checkId: check.id,
    title: check.title,
    controls: check.controls,
    severity,
    resource: { ...current?.resource, ...observation.resource },
    status,
    evidence: violations.length ? violations.map((v) => v.evidence) : (current?.evidence ?? []),
    summary: violations.length
      ? violations.map((v) => v.summary).join("; ")
      : `${observation.resource.id} is compliant with ${check.id}`,
    ...((input.actor ?? current?.actor) ? { actor: input.actor ?? current?.actor } : {}),
    eventIds: redelivered
      ? (current?.eventIds ?? [])
      : [...(current?.eventIds ?? []), eventId].slice(-MAX_EVENT_IDS),
    eventTime: input.eventTime,
    observedAt:
      current?.observedAt && isBefore(observation.observedAt, current.observedAt)
        ? current.observedAt
        : observation.observedAt,
    firstSeen: current?.firstSeen ?? time,
    lastSeen: time,
    ...(remediation ? { remediation } : {}),
    ...(remediationTimes.length ? { remediationTimes } : {}),
    ...(status === "SUPPRESSED" && exemption
      ? { suppression: { source: exemption.source, reason: exemption.reason, until: exemption.until } }
      : {}),
    // Who approved the current plan (vigil approve); tied to the plan's time, so a new plan isn't taken as approved.
    ...(current?.approval ? { approval: current.approval } : {}),
    history: changed
      ? [...(current?.history ?? []), { from: current?.status ?? null, to: status, at: time, eventId }]
      : (current?.history ?? []),
    notificationPending:
      ((changed || escalated) && announces(status, severity, input.minNotifySeverity)) ||
      current?.notificationPending === true,
    version: current?.version ?? 0,
  };
}
