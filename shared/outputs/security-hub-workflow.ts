import type {
  AwsSecurityFinding,
  BatchUpdateFindingsUnprocessedFinding,
  SecurityHubClient,
  WorkflowStatus,
} from "@aws-sdk/client-securityhub";
import { loadSecurityHub } from "../aws/sdk";
import type { Finding, FindingStatus } from "../findings/model";
import { logger as defaultLogger, type VigilLogger } from "../log";
import { TokenBucket } from "./token-bucket";

/**
 * BatchUpdateFindings limits: up to 100 findings per request (API reference, FindingIdentifiers);
 * the same 10 requests per second per account and Region, bursts of 30, as BatchImportFindings.
 */
export const BATCH_UPDATE_LIMITS = { findingsPerCall: 100, ratePerSecond: 10, burst: 30 } as const;

/** The Workflow.Status a Vigil status stands for (as toAsff maps it at first import). */
const WORKFLOW: Record<FindingStatus, WorkflowStatus> = {
  OPEN: "NEW",
  SUPPRESSED: "SUPPRESSED",
  REMEDIATED: "RESOLVED",
  RESOLVED: "RESOLVED",
};

/** One Workflow.Status change for a finding already imported. */
export interface WorkflowUpdate {
  status: WorkflowStatus;
  identifier: { Id: string; ProductArn: string };
}

/**
 * The workflow changes a Vigil status implies. BatchImportFindings sets Workflow only when it
 * creates a finding, so every later move is a BatchUpdateFindings:
 * - SUPPRESSED -> SUPPRESSED; RESOLVED and REMEDIATED -> RESOLVED (sent at every export: idempotent,
 *   and the import may have created the finding in another state);
 * - OPEN again (the finding's last status change reopened it) -> NEW. Security Hub itself resets
 *   NOTIFIED/RESOLVED to NEW when a finding goes ARCHIVED -> ACTIVE, but not SUPPRESSED, whose
 *   record stays ACTIVE. A finding OPEN since it was created is left alone: it was imported NEW,
 *   and a person's triage (NOTIFIED) is theirs.
 * `findings` pairs each Vigil finding with the ASFF finding exported for it (its Id and ProductArn).
 */
export function workflowUpdates(
  findings: readonly { finding: Finding; asff: Pick<AwsSecurityFinding, "Id" | "ProductArn"> }[],
): WorkflowUpdate[] {
  const updates: WorkflowUpdate[] = [];
  for (const { finding, asff } of findings) {
    if (!asff.Id || !asff.ProductArn) continue;
    const last = finding.history.at(-1);
    const reopened =
      finding.status === "OPEN" && last?.to === "OPEN" && last.from !== null && last.from !== "OPEN";
    if (finding.status !== "OPEN" || reopened)
      updates.push({
        status: WORKFLOW[finding.status],
        identifier: { Id: asff.Id, ProductArn: asff.ProductArn },
      });
  }
  return updates;
}

export interface WorkflowSyncOptions {
  ratePerSecond?: number;
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: VigilLogger;
}

export interface WorkflowSyncResult {
  /** Findings whose workflow Security Hub updated. */
  updated: number;
  /** Every finding not updated, with why: Security Hub's UnprocessedFindings and calls that failed. */
  unprocessed: BatchUpdateFindingsUnprocessedFinding[];
  calls: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends the workflow changes with BatchUpdateFindings: one request per target status (the request
 * sets one Workflow.Status for all its findings), at most 100 findings each, paced by a token
 * bucket. Nothing fails silently: unprocessed findings and failed calls are returned and logged.
 * Call it after the import, so the findings exist (else FindingNotFound).
 */
export async function syncWorkflow(
  updates: readonly WorkflowUpdate[],
  client: SecurityHubClient,
  options: WorkflowSyncOptions = {},
): Promise<WorkflowSyncResult> {
  const log = options.logger ?? defaultLogger;
  const sleep = options.sleep ?? sleepFor;
  const bucket = new TokenBucket(
    options.ratePerSecond ?? BATCH_UPDATE_LIMITS.ratePerSecond,
    options.burst ?? BATCH_UPDATE_LIMITS.burst,
    options.now ?? Date.now,
    sleep,
  );
  const { BatchUpdateFindingsCommand } = await loadSecurityHub();
  const byStatus = new Map<WorkflowStatus, WorkflowUpdate["identifier"][]>();
  for (const u of updates) byStatus.set(u.status, [...(byStatus.get(u.status) ?? []), u.identifier]);

  const unprocessed: BatchUpdateFindingsUnprocessedFinding[] = [];
  let updated = 0;
  let calls = 0;
  for (const [status, identifiers] of byStatus) {
    for (let i = 0; i < identifiers.length; i += BATCH_UPDATE_LIMITS.findingsPerCall) {
      const batch = identifiers.slice(i, i + BATCH_UPDATE_LIMITS.findingsPerCall);
      await bucket.take();
      calls++;
      try {
        const answer = await client.send(
          new BatchUpdateFindingsCommand({ FindingIdentifiers: batch, Workflow: { Status: status } }),
        );
        const rejected = answer.UnprocessedFindings ?? [];
        unprocessed.push(...rejected);
        updated += answer.ProcessedFindings?.length ?? batch.length - rejected.length;
      } catch (error) {
        const name = error instanceof Error ? error.name : "Error";
        const message = error instanceof Error ? error.message : String(error);
        unprocessed.push(
          ...batch.map((FindingIdentifier) => ({
            FindingIdentifier,
            ErrorCode: name,
            ErrorMessage: message,
          })),
        );
      }
    }
  }
  if (unprocessed.length)
    log.warn("Security Hub did not update the workflow of some findings", {
      unprocessed: unprocessed.length,
      updated,
      findings: unprocessed.slice(0, 100).map((f) => ({
        id: f.FindingIdentifier?.Id,
        errorCode: f.ErrorCode,
        errorMessage: f.ErrorMessage,
      })),
    });
  else if (calls) log.info("Security Hub workflow updated", { updated, calls });
  return { updated, unprocessed, calls };
}
