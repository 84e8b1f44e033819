import type { Approval, Finding } from "../findings/model";

/** An approval claimed this long ago without an outcome was interrupted (the run died): it may be taken over. */
export const STALE_CLAIM_MS = 5 * 60_000;

export type RefusalReason =
  | "not-found"
  | "not-open"
  | "nothing-planned"
  | "already-approved"
  | "in-progress"
  | "mode-off"
  | "no-aws"
  | "unsupported";

export interface Refusal {
  reason: RefusalReason;
  message: string;
}

/** The plan an approval would run: the finding's dry-run record, or the plan of an approved run that failed. */
export function planOf(finding: Finding): Approval["plan"] | undefined {
  const record = finding.remediation;
  if (record?.mode === "dry-run" && record.result === "planned")
    return { remediationId: record.remediationId, action: record.action, time: record.time };
  // An approved run that failed or was held back may be approved again (the plan still stands).
  if (finding.approval && retryable(finding.approval)) return finding.approval.plan;
  return undefined;
}

const retryable = (approval: Approval) => approval.outcome === "failed" || approval.outcome === "held-back";

function approvedBy(approval: Approval): string {
  const through = approval.approvedFindingId ? ` (with ${approval.approvedFindingId})` : "";
  return `${approval.by} via ${approval.via} at ${approval.at}${through}`;
}

/**
 * Why `finding` can't be approved now, or undefined when it can. Pure. A second approval of the same
 * plan (a double click) is refused, saying who approved it and what came of it.
 */
export function refusalFor(finding: Finding | undefined, findingId: string, now: Date): Refusal | undefined {
  if (!finding) return { reason: "not-found", message: `no finding ${findingId}` };
  const approval = finding.approval;
  const plan = planOf(finding);
  if (approval && (!plan || plan.time === approval.plan.time)) {
    if (!approval.outcome) {
      const age = now.getTime() - Date.parse(approval.at);
      if (age < STALE_CLAIM_MS)
        return {
          reason: "in-progress",
          message: `finding ${findingId} is being approved by ${approvedBy(approval)}; nothing more to do`,
        };
    } else if (!retryable(approval) || finding.status !== "OPEN") {
      const detail = approval.detail ? `: ${approval.detail}` : "";
      return {
        reason: "already-approved",
        message: `finding ${findingId} was already approved by ${approvedBy(approval)} (${approval.outcome}${detail}); nothing done`,
      };
    }
  }
  if (finding.status !== "OPEN")
    return {
      reason: "not-open",
      message: `finding ${findingId} is ${finding.status}, not OPEN: there is nothing to approve`,
    };
  if (!plan) {
    const last = finding.remediation
      ? `last remediation: ${finding.remediation.mode}, ${finding.remediation.result}`
      : "the check has no remediation";
    return {
      reason: "nothing-planned",
      message: `finding ${findingId} has no planned (dry-run) remediation to approve (${last})`,
    };
  }
  return undefined;
}
