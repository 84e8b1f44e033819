import type { SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { VigilLogger } from "../log";
import type { ScanReport } from "../sweep/report";
import type { ScanExport } from "./scan-args";

export interface ScanExportOptions {
  /** Findings without a real Region (global resources) go to the scan's home Region. */
  homeRegion: string;
  stderr: NodeJS.WritableStream;
  logger: VigilLogger;
  /** Default: a Security Hub client per Region with the SDK's default credentials (the user's). */
  clientFor?: (region: string) => SecurityHubClient | Promise<SecurityHubClient>;
}

/**
 * `--export security-hub`: the report's findings (every status: resolved ones are archived) go to
 * Security Hub with the scan's credentials, one summary line on stderr. Returns whether everything
 * was imported and every workflow change made (false: the scan exits 1).
 */
export async function exportScanReport(
  target: ScanExport,
  report: ScanReport,
  options: ScanExportOptions,
): Promise<boolean> {
  const { createSecurityHubClient } = await import("../outputs/security-hub-export");
  const { syncFailed, syncSummary, syncToSecurityHub } = await import("../outputs/security-hub-sync");
  const clients = new Map<string, Promise<SecurityHubClient>>();
  const clientFor =
    options.clientFor ??
    ((region: string) => {
      let client = clients.get(region);
      if (!client) {
        client = createSecurityHubClient(region);
        clients.set(region, client);
      }
      return client;
    });
  const finished = new Date(report.finishedAt);
  try {
    const result = await syncToSecurityHub(report.findings, {
      clientFor,
      now: Number.isNaN(finished.getTime()) ? new Date() : finished,
      homeRegion: options.homeRegion,
      logger: options.logger,
    });
    options.stderr.write(`vigil scan: ${target}: ${syncSummary(result)}\n`);
    return !syncFailed(result);
  } finally {
    for (const client of clients.values()) (await client).destroy();
  }
}
