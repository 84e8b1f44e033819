import type { Approval, ApprovalOutcome, Finding } from "../findings/model";
import type { FindingsStore } from "../findings/store";

/** The approved run: which finding, on which resource, and the time its remediation records carry. */
export interface ApprovedRun {
  findingId: string;
  resourceId: string;
  /** The run's clock (ISO): remediation records written by this run carry exactly this time. */
  time: string;
  /** The claim: who, through what, which plan. */
  approval: Approval;
}

/** Whether the finding's remediation record was written by the approved run (auto mode, the run's time). */
function remediatedByRun(finding: Finding, run: ApprovedRun): boolean {
  return (
    finding.resource.id === run.resourceId &&
    finding.remediation?.mode === "auto" &&
    finding.remediation.time === run.time
  );
}

/** What the approved run did to the finding, read off the finding as the pipeline writes it. */
export function outcomeOf(finding: Finding, run: ApprovedRun): Pick<Approval, "outcome" | "detail"> {
  const record = remediatedByRun(finding, run) ? finding.remediation : undefined;
  switch (finding.status) {
    case "REMEDIATED":
      return { outcome: "remediated" };
    case "RESOLVED":
      return {
        outcome: "resolved",
        detail: `re-read before acting, the resource no longer violates ${finding.checkId}: nothing changed`,
      };
    case "SUPPRESSED":
      return {
        outcome: "suppressed",
        detail: `the resource is exempt now${finding.suppression?.reason ? ` (${finding.suppression.reason})` : ""}: nothing changed`,
      };
    case "OPEN":
      if (record?.result === "failed")
        return {
          outcome: "failed",
          detail: record.detail ? `${record.action}: ${record.detail}` : record.action,
        };
      return { outcome: "held-back", detail: record?.action ?? "the remediation did not run" };
  }
}

/** The approval as the finding keeps it once the run wrote it; undefined for findings the run didn't act on. */
export function approvalFor(finding: Finding, run: ApprovedRun): Approval | undefined {
  const approved = finding.id === run.findingId;
  if (!approved && !remediatedByRun(finding, run)) return undefined;
  return {
    ...run.approval,
    ...outcomeOf(finding, run),
    ...(approved ? {} : { approvedFindingId: run.findingId }),
  };
}

/**
 * The store the approved run writes through: every finding the pipeline writes for the approved run
 * gets the approval in the same conditional write (so it never exists without it, and a concurrent
 * approval that lost the race sees it). The pipeline's own write path stays untouched.
 */
export function recordingApproval(store: FindingsStore, run: ApprovedRun): FindingsStore {
  return {
    get: (id) => store.get(id),
    getMany: (ids) => store.getMany(ids),
    list: (filter) => store.list(filter),
    put(finding, expectedVersion) {
      const approval = approvalFor(finding, run);
      return store.put(approval ? { ...finding, approval } : finding, expectedVersion);
    },
  };
}

export type { ApprovalOutcome };
