import { SEVERITIES, severityRank, type Severity } from "../../core/severity";
import type { Finding } from "../../findings/model";
import type { CheckTally, ScanReport } from "../../sweep/report";
import { FRAMEWORK_ORDER, VIGIL_FRAMEWORK, areaOf, parseControl } from "./classify";

/** Pass / fail of a check or control: N/A when nothing of its type was evaluated. */
export type Outcome = "PASS" | "FAIL" | "N/A";

export interface Counts {
  evaluated: number;
  /** Evaluated, not failing and not exempt. */
  passed: number;
  failed: number;
  suppressed: number;
}

export interface CheckRow extends Counts {
  tally: CheckTally;
  area: string;
  outcome: Outcome;
}

export interface ControlRow extends Counts {
  framework: string;
  /** The control as the checks spell it (`FSBP EC2.19`), or the check id for Vigil's own. */
  control: string;
  /** The requirement within the framework (`EC2.19`, `5.2`). */
  id: string;
  checks: CheckRow[];
  outcome: Outcome;
}

export interface FrameworkGroup {
  framework: string;
  controls: ControlRow[];
  outcomes: Record<Outcome, number>;
}

export interface AreaRow extends Counts {
  area: string;
  checks: CheckRow[];
  outcomes: Record<Outcome, number>;
}

export interface FailingCheck {
  checkId: string;
  title: string;
  severity: Severity;
  controls: string[];
  resourceType: string;
  area: string;
  tally?: CheckTally;
  findings: Finding[];
}

export interface ReportModel {
  /** OPEN findings by severity, every severity present (0 when none). */
  openBySeverity: Record<Severity, number>;
  checks: CheckRow[];
  frameworks: FrameworkGroup[];
  areas: AreaRow[];
  failing: FailingCheck[];
  suppressed: Finding[];
  remediated: Finding[];
  resolved: Finding[];
}

/**
 * `failed` counts OPEN findings and `suppressed` exempt ones (not OPEN): the two are disjoint, and
 * what is left of `evaluated` passed.
 */
function countsOf(tally: CheckTally): Counts {
  const passed = Math.max(0, tally.evaluated - tally.failed - tally.suppressed);
  return { evaluated: tally.evaluated, passed, failed: tally.failed, suppressed: tally.suppressed };
}

function outcomeOf(counts: Counts): Outcome {
  if (counts.failed > 0) return "FAIL";
  return counts.evaluated > 0 ? "PASS" : "N/A";
}

function sum(rows: readonly Counts[]): Counts {
  const total: Counts = { evaluated: 0, passed: 0, failed: 0, suppressed: 0 };
  for (const row of rows) {
    total.evaluated += row.evaluated;
    total.passed += row.passed;
    total.failed += row.failed;
    total.suppressed += row.suppressed;
  }
  return total;
}

function tallyOutcomes(rows: readonly { outcome: Outcome }[]): Record<Outcome, number> {
  const outcomes: Record<Outcome, number> = { PASS: 0, FAIL: 0, "N/A": 0 };
  for (const row of rows) outcomes[row.outcome] += 1;
  return outcomes;
}

function byName(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

function frameworkRank(framework: string): number {
  if (framework === VIGIL_FRAMEWORK) return FRAMEWORK_ORDER.length + 1;
  const index = FRAMEWORK_ORDER.indexOf(framework);
  return index === -1 ? FRAMEWORK_ORDER.length : index;
}

function buildFrameworks(checks: readonly CheckRow[]): FrameworkGroup[] {
  const controls = new Map<string, ControlRow>();
  for (const check of checks) {
    const refs = check.tally.controls.length > 0 ? check.tally.controls : [undefined];
    for (const control of refs) {
      const ref = control ? parseControl(control) : { framework: VIGIL_FRAMEWORK, id: check.tally.checkId };
      const key = `${ref.framework}\u0000${ref.id}`;
      const row = controls.get(key) ?? {
        framework: ref.framework,
        control: control ?? check.tally.checkId,
        id: ref.id,
        checks: [],
        evaluated: 0,
        passed: 0,
        failed: 0,
        suppressed: 0,
        outcome: "N/A",
      };
      row.checks.push(check);
      controls.set(key, row);
    }
  }
  const groups = new Map<string, ControlRow[]>();
  for (const row of controls.values()) {
    Object.assign(row, sum(row.checks));
    row.outcome = outcomeOf(row);
    groups.set(row.framework, [...(groups.get(row.framework) ?? []), row]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => frameworkRank(a) - frameworkRank(b) || byName(a, b))
    .map(([framework, rows]) => ({
      framework,
      controls: rows.sort((a, b) => byName(a.id, b.id)),
      outcomes: tallyOutcomes(rows),
    }));
}

function buildAreas(checks: readonly CheckRow[]): AreaRow[] {
  const areas = new Map<string, CheckRow[]>();
  for (const check of checks) areas.set(check.area, [...(areas.get(check.area) ?? []), check]);
  return [...areas.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([area, rows]) => ({ area, checks: rows, ...sum(rows), outcomes: tallyOutcomes(rows) }));
}

function bySeverityThenId(
  a: { severity: Severity; checkId: string },
  b: { severity: Severity; checkId: string },
) {
  return severityRank(b.severity) - severityRank(a.severity) || byName(a.checkId, b.checkId);
}

function resourceLabel(finding: Finding): string {
  return finding.resource.name ?? finding.resource.id;
}

function buildFailing(findings: readonly Finding[], tallies: readonly CheckTally[]): FailingCheck[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings)
    groups.set(finding.checkId, [...(groups.get(finding.checkId) ?? []), finding]);
  return [...groups.entries()]
    .map(([checkId, group]) => {
      const first = group[0] as Finding;
      const tally = tallies.find((t) => t.checkId === checkId);
      const sorted = [...group].sort(
        (a, b) =>
          severityRank(b.severity) - severityRank(a.severity) || byName(resourceLabel(a), resourceLabel(b)),
      );
      return {
        checkId,
        title: tally?.title ?? first.title,
        severity: tally?.severity ?? first.severity,
        controls: tally?.controls ?? first.controls,
        resourceType: tally?.resourceType ?? first.resource.type,
        area: areaOf(checkId, tally?.resourceType ?? first.resource.type),
        tally,
        findings: sorted,
      };
    })
    .sort(bySeverityThenId);
}

/** When a finding last changed to `status` (its history), else when it was last seen. */
export function changedAt(finding: Finding, status: Finding["status"]): string {
  const change = [...finding.history].reverse().find((entry) => entry.to === status);
  return change?.at ?? finding.lastSeen;
}

function newestFirst(status: Finding["status"]) {
  return (a: Finding, b: Finding) => changedAt(b, status).localeCompare(changedAt(a, status));
}

/** Everything the page shows, computed once from the report; the sections only lay it out. */
export function buildModel(report: ScanReport): ReportModel {
  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const open = report.findings.filter((f) => f.status === "OPEN");
  for (const finding of open) openBySeverity[finding.severity] += 1;

  const checks = report.checks
    .map((tally) => {
      const counts = countsOf(tally);
      return {
        tally,
        area: areaOf(tally.checkId, tally.resourceType),
        ...counts,
        outcome: outcomeOf(counts),
      };
    })
    .sort((a, b) => bySeverityThenId(a.tally, b.tally));

  return {
    openBySeverity,
    checks,
    frameworks: buildFrameworks(checks),
    areas: buildAreas(checks),
    failing: buildFailing(open, report.checks),
    suppressed: report.findings.filter((f) => f.status === "SUPPRESSED").sort(bySeverityThenId),
    remediated: report.findings.filter((f) => f.status === "REMEDIATED").sort(newestFirst("REMEDIATED")),
    resolved: report.findings.filter((f) => f.status === "RESOLVED").sort(newestFirst("RESOLVED")),
  };
}
