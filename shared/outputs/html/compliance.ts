import { SEVERITIES } from "../../core/severity";
import { OUTCOME_COLOURS, SEVERITY_COLOURS, barChart, stackedBar } from "./charts";
import { html, type SafeHtml } from "./escape";
import type { AreaRow, CheckRow, ControlRow, Outcome, ReportModel } from "./model";

export function outcomeBadge(outcome: Outcome): SafeHtml {
  return html`<span class="badge outcome-${outcome === "N/A" ? "NA" : outcome}">${outcome}</span>`;
}

function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}

function outcomeSegments(outcomes: Record<Outcome, number>, noun: string) {
  return [
    { label: `${plural(outcomes.PASS, noun)} passing`, value: outcomes.PASS, colour: OUTCOME_COLOURS.PASS },
    { label: `${plural(outcomes.FAIL, noun)} failing`, value: outcomes.FAIL, colour: OUTCOME_COLOURS.FAIL },
    { label: "not evaluated", value: outcomes["N/A"], colour: OUTCOME_COLOURS["N/A"] },
  ];
}

export function severitySection(model: ReportModel): SafeHtml {
  const bars = [...SEVERITIES].reverse().map((severity) => ({
    label: severity,
    value: model.openBySeverity[severity],
    colour: SEVERITY_COLOURS[severity],
    data: { severity },
  }));
  return html`<section id="severity">
    <h2>Open findings by severity</h2>
    ${barChart("Open findings by severity", bars)}
  </section>`;
}

function countCells(row: {
  evaluated: number;
  passed: number;
  failed: number;
  suppressed: number;
}): SafeHtml {
  return html`<td class="num">${row.evaluated}</td>
    <td class="num">${row.passed}</td>
    <td class="num">${row.failed}</td>
    <td class="num">${row.suppressed}</td>`;
}

function checkList(checks: readonly CheckRow[]): SafeHtml {
  // Failing checks link to their resources below; the others have no section to link to.
  return html`${checks.map(
    (c, i) =>
      html`${i > 0 ? ", " : ""}${
        c.outcome === "FAIL"
          ? html`<a href="#check-${c.tally.checkId}" class="mono">${c.tally.checkId}</a>`
          : html`<span class="mono">${c.tally.checkId}</span>`
      }`,
  )}`;
}

function controlRow(row: ControlRow): SafeHtml {
  return html`<tr
    data-framework="${row.framework}"
    data-control="${row.id}"
    data-outcome="${row.outcome}"
    data-evaluated="${row.evaluated}"
    data-passed="${row.passed}"
    data-failed="${row.failed}"
    data-suppressed="${row.suppressed}"
  >
    <td class="mono">${row.id}</td>
    <td>${outcomeBadge(row.outcome)}</td>
    <td>${checkList(row.checks)}</td>
    <td>${row.checks.map((c) => c.tally.title).join("; ")}</td>
    ${countCells(row)}
  </tr>`;
}

const COUNT_HEADERS = html`<th class="num">Evaluated</th>
  <th class="num">Passed</th>
  <th class="num">Failed</th>
  <th class="num">Suppressed</th>`;

export function frameworksSection(model: ReportModel): SafeHtml {
  const groups = model.frameworks.map(
    (group) =>
      html`<div
        class="framework"
        data-framework-group="${group.framework}"
        data-pass="${group.outcomes.PASS}"
        data-fail="${group.outcomes.FAIL}"
        data-na="${group.outcomes["N/A"]}"
      >
        <div class="framework-head">
          <h3>${group.framework}</h3>
          ${stackedBar(`${group.framework} controls`, outcomeSegments(group.outcomes, "control"))}
        </div>
        <table>
          <thead>
            <tr>
              <th>Control</th>
              <th>Result</th>
              <th>Checks</th>
              <th>Title</th>
              ${COUNT_HEADERS}
            </tr>
          </thead>
          <tbody>
            ${group.controls.map(controlRow)}
          </tbody>
        </table>
      </div>`,
  );
  return html`<section id="frameworks">
    <h2>Pass / fail by control and framework</h2>
    <p class="muted">
      Counts are resources evaluated by the control's checks. A control fails when any of its checks has an
      open finding; exempt resources count as suppressed, not failed. Checks mapped to no published control
      are under Vigil.
    </p>
    ${model.frameworks.length === 0 ? html`<p>No checks were evaluated.</p>` : groups}
  </section>`;
}

function areaRow(row: AreaRow): SafeHtml {
  return html`<tr
    data-area="${row.area}"
    data-checks-pass="${row.outcomes.PASS}"
    data-checks-fail="${row.outcomes.FAIL}"
    data-evaluated="${row.evaluated}"
    data-passed="${row.passed}"
    data-failed="${row.failed}"
    data-suppressed="${row.suppressed}"
  >
    <td>${row.area}</td>
    <td>${stackedBar(`${row.area} checks`, outcomeSegments(row.outcomes, "check"), 180)}</td>
    ${countCells(row)}
  </tr>`;
}

export function areasSection(model: ReportModel): SafeHtml {
  return html`<section id="areas">
    <h2>Pass / fail by area</h2>
    <p class="muted">
      Counts add up the area's checks: a resource evaluated by three checks counts three times.
    </p>
    ${
      model.areas.length === 0
        ? html`<p>No checks were evaluated.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Area</th>
                <th>Checks</th>
                ${COUNT_HEADERS}
              </tr>
            </thead>
            <tbody>
              ${model.areas.map(areaRow)}
            </tbody>
          </table>`
    }
  </section>`;
}
