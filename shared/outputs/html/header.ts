import type { ScanReport } from "../../sweep/report";
import { html, type SafeHtml } from "./escape";
import type { ReportModel } from "./model";

function list(values: readonly string[]): string {
  return values.length > 0 ? values.join(", ") : "none";
}

function duration(startedAt: string, finishedAt: string): string {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return "";
  return ms < 60_000 ? ` (${(ms / 1000).toFixed(1)} s)` : ` (${Math.round(ms / 60_000)} min)`;
}

export function headerSection(report: ScanReport, title: string, generatedAt: string): SafeHtml {
  const accounts = report.scope.accounts;
  const regions = report.scope.regions;
  return html`<header class="page">
    <h1>${title}</h1>
    <dl>
      <dt>${accounts.length === 1 ? "Account" : "Accounts"}</dt>
      <dd data-scope="accounts">${list(accounts)}</dd>
      <dt>${regions.length === 1 ? "Region" : "Regions"}</dt>
      <dd data-scope="regions">${list(regions)}</dd>
      <dt>Sweep</dt>
      <dd>${report.startedAt} → ${report.finishedAt}${duration(report.startedAt, report.finishedAt)}</dd>
      <dt>Generated</dt>
      <dd>${generatedAt}</dd>
    </dl>
  </header>`;
}

function tile(n: number, label: string, key: string): SafeHtml {
  return html`<div class="tile" data-total="${key}" data-count="${n}">
    <span class="n">${n}</span><span class="l">${label}</span>
  </div>`;
}

/** Headline numbers, then a warning when part of the scope could not be read (its results are partial). */
export function summarySection(report: ScanReport, model: ReportModel): SafeHtml {
  const open = Object.values(model.openBySeverity).reduce((a, b) => a + b, 0);
  const failingChecks = model.checks.filter((c) => c.outcome === "FAIL").length;
  const evaluatedChecks = model.checks.filter((c) => c.outcome !== "N/A").length;
  const failedUnits = report.units.filter((u) => u.outcome === "failed");
  const warning =
    failedUnits.length === 0
      ? html``
      : html`<div class="warning" role="alert" data-failed-units="${failedUnits.length}">
          <strong>Incomplete coverage:</strong> ${failedUnits.length} of ${report.units.length} sweep units
          failed; their resources were not evaluated and nothing was resolved from them.
          <ul>
            ${failedUnits.map((u) => html`<li><code>${u.resourceType}</code> in ${u.account} / ${u.region}: ${u.error ?? "no reason given"}</li>`)}
          </ul>
        </div>`;
  return html`<section id="summary" aria-label="Summary">
    <div class="tiles">
      ${tile(open, "open findings", "open")}
      ${tile(failingChecks, `failing checks (of ${evaluatedChecks} evaluated)`, "failing-checks")}
      ${tile(model.suppressed.length, "suppressed (exempt)", "suppressed")}
      ${tile(model.remediated.length, "remediated by Vigil", "remediated")}
      ${tile(model.resolved.length, "resolved", "resolved")}
    </div>
    ${warning}
  </section>`;
}

/** What the sweep covered, unit by unit, folded away: it matters when a number looks wrong. */
export function coverageSection(report: ScanReport): SafeHtml {
  if (report.units.length === 0) return html``;
  const rows = report.units.map(
    (u) =>
      html`<tr data-unit-outcome="${u.outcome}">
        <td><code>${u.resourceType}</code></td>
        <td>${u.account}</td>
        <td>${u.region}</td>
        <td>${u.outcome}${u.error ? html`: ${u.error}` : ""}</td>
        <td class="num">${u.resources}</td>
        <td class="num">${u.deletedResources}</td>
        <td class="num">${(u.durationMs / 1000).toFixed(1)} s</td>
      </tr>`,
  );
  return html`<section id="coverage">
    <details>
      <summary>Sweep coverage: ${report.units.length} units</summary>
      <table>
        <thead>
          <tr>
            <th>Resource type</th>
            <th>Account</th>
            <th>Region</th>
            <th>Outcome</th>
            <th class="num">Resources</th>
            <th class="num">Deleted</th>
            <th class="num">Duration</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </details>
  </section>`;
}
