import type { Actor } from "../core/actor";
import type { RemediationMode } from "../core/modes";
import type { ResourceRef } from "../core/resource";
import type { Severity } from "../core/severity";

export const FINDING_STATUSES = ["OPEN", "REMEDIATED", "RESOLVED", "SUPPRESSED"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Enough to put back exactly what a remediation removed (`vigil undo`). Plain JSON. */
export interface UndoPayload {
  remediationId: string;
  params: Record<string, unknown>;
}

export type RemediationResult =
  /** The change was made. */
  | "succeeded"
  /** The thing to remove was already gone: nothing left to do. */
  | "already-gone"
  /** dry-run: the plan was recorded, nothing changed. */
  | "planned"
  /** Mode `off`, exempt, or held back by a guard (flapping, unreadable tags). */
  | "skipped"
  | "failed"
  /** `vigil undo` put back what the remediation removed. */
  | "undone";

export interface RemediationRecord {
  remediationId: string;
  mode: RemediationMode;
  /** Human summary, e.g. "revoke sgr-0d27… (tcp 22 from 0.0.0.0/0)". */
  action: string;
  result: RemediationResult;
  time: string;
  detail?: string;
  undo?: UndoPayload;
}

export interface Suppression {
  /** Where the exemption came from: `tag` or `config`. */
  source: "tag" | "config";
  reason?: string;
  until?: string;
}

/** How an approval of a dry-run remediation ended (`vigil approve`, the Slack button). */
export type ApprovalOutcome =
  /** The planned remediation ran and fixed the violation. */
  | "remediated"
  /** The re-read resource no longer violates the check: nothing was changed. */
  | "resolved"
  /** The re-read resource is exempt now: nothing was changed. */
  | "suppressed"
  /** A guard held the remediation back (loop guard, unreadable tags): nothing was changed. */
  | "held-back"
  | "failed";

/** Who approved a planned (dry-run) remediation, through what, and what came of it. */
export interface Approval {
  /** The approver as shown to people: an IAM principal ARN, a name (`--as`, OS user) or a Slack user. */
  by: string;
  /** The identity behind `by` when it was established: the STS caller ARN, or the Slack member id. */
  principal?: string;
  via: "cli" | "slack";
  at: string;
  /** The dry-run plan approved: its remediation, action and time (a newer plan needs a new approval). */
  plan: { remediationId: string; action: string; time: string };
  /** Absent while the approved remediation runs. */
  outcome?: ApprovalOutcome;
  /** Why, for outcomes other than `remediated` (no secret values: summaries and error messages). */
  detail?: string;
  /** Set on findings remediated along with the approved one (the same rule): the approved finding's id. */
  approvedFindingId?: string;
}

export interface StatusChange {
  from: FindingStatus | null;
  to: FindingStatus;
  at: string;
  eventId?: string;
}

/** One check failing on one resource. Deterministic id; see `findingId`. */
export interface Finding {
  id: string;
  checkId: string;
  title: string;
  controls: string[];
  severity: Severity;
  resource: ResourceRef;
  status: FindingStatus;
  /** Free-form, JSON-safe description of what violates the check (e.g. the offending permissions). */
  evidence: Record<string, unknown>[];
  /** Human sentence describing the violation. */
  summary: string;
  actor?: Actor;
  /** EventBridge event ids that touched this finding, newest last (bounded). */
  eventIds: string[];
  /** When the triggering change happened (CloudTrail eventTime / Config capture time). */
  eventTime?: string;
  /** Time of the newest state the finding was evaluated on; older states are ignored. */
  observedAt?: string;
  firstSeen: string;
  lastSeen: string;
  remediation?: RemediationRecord;
  /** Remediation timestamps in the flapping window (loop guard). */
  remediationTimes?: string[];
  suppression?: Suppression;
  history: StatusChange[];
  /** A state change not yet announced; cleared once the alert is delivered (so a retry re-sends it). */
  notificationPending?: boolean;
  /** Set when someone approved this finding's dry-run remediation (shared/approvals). */
  approval?: Approval;
  /** Optimistic-lock counter: every write must match the version it read. */
  version: number;
}
