import { SEVERITIES, severityRank, type Severity } from "../core/severity";
import type { Finding, FindingStatus } from "../findings/model";
import type { ScanReport } from "../sweep/report";
import { textTable } from "./table";

/** `vigil scan`'s text report: scope, failed units, findings by severity, checks by control, what fails. */
export function scanSummary(report: ScanReport): string {
  const resources = report.units.reduce((n, u) => n + u.resources, 0);
  const failedUnits = report.units.filter((u) => u.outcome === "failed");
  const head = [
    `Vigil scan of account ${report.scope.accounts.join(", ") || "-"} in ${report.scope.regions.join(", ") || "no Region"}`,
    `${report.units.length} units (${failedUnits.length} failed), ${resources} resources, ${report.startedAt} to ${report.finishedAt}`,
    ...failedUnits.map((u) => `  FAILED ${u.region} ${u.resourceType}: ${u.error ?? "unknown error"}`),
  ];
  const open = report.findings
    .filter((f) => f.status === "OPEN")
    .sort(
      (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.checkId.localeCompare(b.checkId),
    );
  return [
    head.join("\n"),
    `Findings by severity\n${bySeverity(report.findings)}`,
    `Checks by control\n${byControl(report)}`,
    open.length ? `Open findings\n${openTable(open)}` : "No open findings.",
  ].join("\n\n");
}

const COLUMNS: FindingStatus[] = ["OPEN", "SUPPRESSED", "REMEDIATED", "RESOLVED"];

function bySeverity(findings: readonly Finding[]): string {
  const count = (severity: Severity, status: FindingStatus) =>
    findings.filter((f) => f.severity === severity && f.status === status).length;
  const rows = [...SEVERITIES].reverse().map((s) => [s, ...COLUMNS.map((c) => String(count(s, c)))]);
  return textTable(["SEVERITY", ...COLUMNS], rows);
}

function byControl(report: ScanReport): string {
  if (!report.checks.length) return "No checks in scope.";
  const checks = [...report.checks].sort(
    (a, b) =>
      Number(b.failed > 0) - Number(a.failed > 0) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.checkId.localeCompare(b.checkId),
  );
  const rows = checks.map((c) => [
    c.checkId,
    clip(c.controls.join(", ") || "-", 40),
    c.severity,
    String(c.evaluated),
    String(c.failed),
    String(c.suppressed),
    c.evaluated === 0 && c.failed === 0 ? "NO RESOURCES" : c.failed > 0 ? "FAIL" : "PASS",
  ]);
  return textTable(["CHECK", "CONTROLS", "SEVERITY", "EVALUATED", "FAILED", "SUPPRESSED", "RESULT"], rows);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function openTable(findings: readonly Finding[]): string {
  const rows = findings.map((f) => [
    f.severity,
    f.checkId,
    f.resource.region,
    f.resource.id,
    f.summary.slice(0, 100),
  ]);
  return textTable(["SEVERITY", "CHECK", "REGION", "RESOURCE", "SUMMARY"], rows);
}

/** Whether `--fail-on` trips: an OPEN finding at or above the threshold. */
export function failsOn(report: ScanReport, threshold: Severity | undefined): boolean {
  if (!threshold) return false;
  return report.findings.some(
    (f) => f.status === "OPEN" && severityRank(f.severity) >= severityRank(threshold),
  );
}
