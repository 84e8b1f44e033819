import type { RemediationMode } from "../core/modes";
import { IncompleteProcessingError, processEvent, type EventReport } from "../pipeline/process-event";
import type { VigilRuntime } from "../pipeline/runtime";
import { loadEvents } from "./event-files";

export interface ReplaySummary {
  reports: { file: string; report?: EventReport; error?: string }[];
  failed: number;
}

/** Sends events through exactly the path the Lambda functions take (`processEvent`). */
export async function replay(
  paths: string[],
  runtime: VigilRuntime,
  print: (line: string) => void,
): Promise<ReplaySummary> {
  const events = await loadEvents(paths);
  const summary: ReplaySummary = { reports: [], failed: 0 };
  for (const { file, event } of events) {
    try {
      const report = await processEvent(event, runtime);
      summary.reports.push({ file, report });
      print(describeReport(file, report));
    } catch (error) {
      summary.failed++;
      const message =
        error instanceof IncompleteProcessingError
          ? error.message
          : `${(error as Error).name}: ${(error as Error).message}`;
      summary.reports.push({ file, error: message });
      print(`${file}: FAILED ${message}`);
    }
  }
  return summary;
}

function describeReport(file: string, report: EventReport): string {
  const head = `${file}: ${report.outcome}${report.reason ? ` (${report.reason})` : ""}`;
  const lines = report.resources.flatMap((r) => [
    `  ${r.resource.type} ${r.resource.id}: ${r.findings.map((f) => `${f.checkId}=${f.status}${f.changed ? "*" : ""}`).join(" ") || "compliant"}`,
    ...r.remediation.map((m) => `    remediation ${m.result}: ${m.action}`),
  ]);
  return [head, ...lines].join("\n");
}

export function parseMode(value: string | undefined): RemediationMode | undefined {
  if (value === undefined) return undefined;
  if (value === "auto" || value === "dry-run" || value === "off") return value;
  throw new Error(`--mode must be auto, dry-run or off (got "${value}")`);
}
