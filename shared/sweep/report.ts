import type { Severity } from "../core/severity";
import type { Finding } from "../findings/model";

/** One piece of a sweep: one resource type in one account and Region (the unit that is retried). */
export interface SweepUnit {
  account: string;
  region: string;
  resourceType: string;
}

/** What a sweep unit did, for the report and the logs. */
export interface SweepUnitResult extends SweepUnit {
  outcome: "completed" | "failed";
  /** Resources the collector listed and the checks evaluated. */
  resources: number;
  /** Open findings whose resource no longer exists: closed by the reconcile. */
  deletedResources: number;
  durationMs: number;
  /** Why the unit failed (then nothing was resolved from its partial listing). */
  error?: string;
  /**
   * Ids of the stored findings the unit evaluated or closed (every status), when asked for with
   * `trackFindings` (the sweep worker's Security Hub export); absent otherwise.
   */
  touchedFindingIds?: string[];
}

/** Pass / fail of one check over the resources of its type that a sweep evaluated. */
export interface CheckTally {
  checkId: string;
  title: string;
  severity: Severity;
  controls: string[];
  resourceType: string;
  /** Resources of the check's type evaluated (deleted ones excluded). */
  evaluated: number;
  /** Resources with a finding OPEN or REMEDIATED-then-reopened, i.e. failing now. */
  failed: number;
  /** Failing resources covered by an exemption (SUPPRESSED). */
  suppressed: number;
}

/**
 * Everything one sweep or `vigil scan` found: the input of every output format (table, JSON,
 * ASFF, OCSF, HTML). `findings` are the stored findings of the swept resources after the sweep,
 * every status included (RESOLVED ones show what was fixed since the last sweep).
 */
export interface ScanReport {
  startedAt: string;
  finishedAt: string;
  /** The accounts and Regions covered. */
  scope: { accounts: string[]; regions: string[] };
  units: SweepUnitResult[];
  checks: CheckTally[];
  findings: Finding[];
}
