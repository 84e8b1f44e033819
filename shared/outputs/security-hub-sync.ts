import type { SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { Finding } from "../findings/model";
import { logger as defaultLogger, type VigilLogger } from "../log";
import { toAsff } from "./asff";
import { exportToSecurityHub } from "./security-hub-export";
import { syncWorkflow, workflowUpdates } from "./security-hub-workflow";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface SecurityHubSyncOptions {
  /** A client for one Region, with the credentials of the findings' account. */
  clientFor(region: string): SecurityHubClient | Promise<SecurityHubClient>;
  /** The export's time (the findings' UpdatedAt). */
  now: Date;
  /** Where findings without a real Region (a global resource) go: the home Region. */
  homeRegion: string;
  logger?: VigilLogger;
  /** Injectable for tests: pacing clock and sleep. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SecurityHubSyncResult {
  attempted: number;
  imported: number;
  /** Findings not imported (FailedFindings, failed calls, too large). */
  failed: number;
  /** Workflow changes sent with BatchUpdateFindings and those Security Hub did not make. */
  workflowUpdated: number;
  workflowFailed: number;
}

/**
 * Vigil findings into Security Hub, in step with their lifecycle: grouped per account and Region
 * (the ProductArn's, since the default product takes only the caller's account's findings in its
 * own Region), imported with BatchImportFindings (Compliance.Status and RecordState follow the
 * status, so resolved findings are archived), then the workflow changes the import can't make sent
 * with BatchUpdateFindings, for findings that were imported.
 */
export async function syncToSecurityHub(
  findings: readonly Finding[],
  options: SecurityHubSyncOptions,
): Promise<SecurityHubSyncResult> {
  const log = options.logger ?? defaultLogger;
  const groups = new Map<string, { account: string; region: string; findings: Finding[] }>();
  for (const finding of findings) {
    const account = finding.resource.account;
    const region = REGION.test(finding.resource.region) ? finding.resource.region : options.homeRegion;
    const key = `${account}/${region}`;
    const group = groups.get(key) ?? { account, region, findings: [] };
    group.findings.push(finding);
    groups.set(key, group);
  }
  const total: SecurityHubSyncResult = {
    attempted: 0,
    imported: 0,
    failed: 0,
    workflowUpdated: 0,
    workflowFailed: 0,
  };
  const pacing = {
    logger: log,
    ...(options.clock ? { now: options.clock } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  for (const { account, region, findings: group } of groups.values()) {
    const client = await options.clientFor(region);
    const pairs = group.map((finding) => ({
      finding,
      asff: toAsff(finding, { account, region, now: options.now }),
    }));
    const imported = await exportToSecurityHub(
      pairs.map((p) => p.asff),
      client,
      pacing,
    );
    total.attempted += imported.attempted;
    total.imported += imported.imported;
    total.failed += imported.failed.length;
    // A finding that was not imported may not exist in Security Hub: no workflow change for it.
    const notImported = new Set(imported.failed.map((f) => f.Id));
    const updates = workflowUpdates(pairs.filter((p) => !notImported.has(p.asff.Id)));
    if (!updates.length) continue;
    const workflow = await syncWorkflow(updates, client, pacing);
    total.workflowUpdated += workflow.updated;
    total.workflowFailed += workflow.unprocessed.length;
  }
  return total;
}

/** The one-line summary printed after an export. */
export function syncSummary(result: SecurityHubSyncResult): string {
  return (
    `Security Hub: ${result.imported} of ${result.attempted} findings imported, ${result.failed} failed; ` +
    `workflow: ${result.workflowUpdated} updated, ${result.workflowFailed} failed`
  );
}

export const syncFailed = (result: SecurityHubSyncResult) => result.failed > 0 || result.workflowFailed > 0;
