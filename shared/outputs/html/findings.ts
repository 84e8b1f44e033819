import type { Actor } from "../../core/actor";
import type { RemediationMode } from "../../core/modes";
import type { Finding } from "../../findings/model";
import { compactJson, html, type SafeHtml } from "./escape";
import { changedAt, type FailingCheck, type ReportModel } from "./model";

/** What the catalog says about a check beyond the report: how to fix it and what Vigil can do. */
export interface CheckInfo {
  description?: string;
  remediation?: { id: string; defaultMode: RemediationMode };
}

export type CheckInfoLookup = (checkId: string) => CheckInfo | undefined;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function severityBadge(severity: string): SafeHtml {
  return html`<span class="badge sev-${severity}">${severity}</span>`;
}

function resourceCell(finding: Finding): SafeHtml {
  const r = finding.resource;
  return html`<strong class="resource-name">${r.name ?? r.id}</strong
    >${r.name && r.name !== r.id ? html`<br /><span class="mono">${r.id}</span>` : ""}
    <div class="arn">${r.arn}</div>
    <div class="muted">${r.account} · ${r.region}</div>`;
}

function evidenceCell(finding: Finding): SafeHtml {
  const shown = finding.evidence.slice(0, 5);
  const more = finding.evidence.length - shown.length;
  return html`<div>${finding.summary}</div>
    ${shown.map((e) => html`<code class="evidence">${compactJson(e)}</code>`)}${
      more > 0 ? html`<div class="muted">and ${more} more</div>` : ""
    }`;
}

function who(actor: Actor): string {
  return actor.userName ?? actor.arn ?? actor.principalId ?? actor.type;
}

function actorCell(finding: Finding): SafeHtml {
  const actor = finding.actor;
  const when = finding.eventTime ?? finding.firstSeen;
  if (!actor) {
    return html`<dl class="kv">
      <dt>Who</dt>
      <dd class="muted">unknown (found by a sweep, not a change event)</dd>
      <dt>When</dt>
      <dd>first seen ${when}</dd>
    </dl>`;
  }
  const how = [actor.fromConsole ? "console" : undefined, actor.mfaAuthenticated ? "MFA" : undefined]
    .filter((x): x is string => x !== undefined)
    .join(", ");
  return html`<dl class="kv">
    <dt>Who</dt>
    <dd>
      <span class="mono">${who(actor)}</span> <span class="muted">(${actor.type})</span>${
        actor.sessionIssuerArn ? html`<br /><span class="arn">role ${actor.sessionIssuerArn}</span>` : ""
      }${actor.invokedBy ? html`<br /><span class="muted">via ${actor.invokedBy}</span>` : ""}
    </dd>
    <dt>When</dt>
    <dd>${when}</dd>
    <dt>From</dt>
    <dd>
      ${actor.sourceIp ?? "unknown address"}${how ? ` (${how})` : ""}${
        actor.userAgent ? html`<br /><span class="arn">${truncate(actor.userAgent, 120)}</span>` : ""
      }
    </dd>
  </dl>`;
}

function remediationCell(finding: Finding, info: CheckInfo | undefined): SafeHtml {
  const record = finding.remediation;
  if (!record) {
    return info?.remediation
      ? html`<span class="muted"
          >none recorded; the check's remediation is <span class="mono">${info.remediation.id}</span> (default
          mode ${info.remediation.defaultMode})</span
        >`
      : html`<span class="muted">manual fix (no automatic remediation)</span>`;
  }
  return html`<dl class="kv" data-remediation-result="${record.result}">
    <dt>Mode</dt>
    <dd>${record.mode}</dd>
    <dt>Result</dt>
    <dd><strong>${record.result}</strong> at ${record.time}</dd>
    <dt>Action</dt>
    <dd>${record.action}</dd>
    ${
      record.detail
        ? html`<dt>Detail</dt>
            <dd>${truncate(record.detail, 300)}</dd>`
        : ""
    }
  </dl>`;
}

function failingCheck(check: FailingCheck, info: CheckInfo | undefined): SafeHtml {
  const t = check.tally;
  const counts = t
    ? html`<span data-failed="${t.failed}" data-evaluated="${t.evaluated}"
          >${t.failed} of ${t.evaluated} resources failing</span
        >${t.suppressed > 0 ? `, ${t.suppressed} exempt` : ""}`
    : html`${check.findings.length} open`;
  const rows = check.findings.map(
    (f) =>
      html`<tr data-finding="${f.id}" data-severity="${f.severity}">
        <td>${resourceCell(f)}</td>
        <td>${evidenceCell(f)}</td>
        <td>${actorCell(f)}</td>
        <td>${remediationCell(f, info)}</td>
      </tr>`,
  );
  return html`<article
    class="check"
    id="check-${check.checkId}"
    data-check="${check.checkId}"
    data-open="${check.findings.length}"
  >
    <h3>${severityBadge(check.severity)} <span class="mono">${check.checkId}</span> ${check.title}</h3>
    <p class="muted">
      ${check.controls.length > 0 ? check.controls.join(" · ") : "no published control"} · ${check.area} ·
      <code>${check.resourceType}</code> · ${counts}
    </p>
    ${info?.description ? html`<p><strong>Fix:</strong> ${info.description}</p>` : ""}
    <table>
      <thead>
        <tr>
          <th style="width:22%">Resource</th>
          <th>What fails (evidence)</th>
          <th style="width:22%">Actor: who, when, from where</th>
          <th style="width:20%">Remediation</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </article>`;
}

export function failingSection(model: ReportModel, lookup: CheckInfoLookup): SafeHtml {
  return html`<section id="failing">
    <h2>Failing checks and resources (${model.failing.length})</h2>
    ${model.failing.length === 0 ? html`<p>No open findings.</p>` : model.failing.map((c) => failingCheck(c, lookup(c.checkId)))}
  </section>`;
}

function simpleResource(finding: Finding): SafeHtml {
  return html`<strong class="resource-name">${finding.resource.name ?? finding.resource.id}</strong>
    <div class="arn">${finding.resource.arn}</div>`;
}

export function suppressedSection(model: ReportModel): SafeHtml {
  if (model.suppressed.length === 0) return html``;
  const rows = model.suppressed.map((f) => {
    const s = f.suppression;
    return html`<tr data-finding="${f.id}" data-status="SUPPRESSED">
      <td>${severityBadge(f.severity)}</td>
      <td class="mono">${f.checkId}</td>
      <td>${simpleResource(f)}</td>
      <td>${f.summary}</td>
      <td>
        ${s ? html`${s.source}${s.reason ? html`: ${s.reason}` : ""}${s.until ? html` (until ${s.until})` : ""}` : "exempt"}
      </td>
    </tr>`;
  });
  return html`<section id="suppressed">
    <h2>Suppressed by an exemption (${model.suppressed.length})</h2>
    <table>
      <thead>
        <tr>
          <th>Severity</th>
          <th>Check</th>
          <th>Resource</th>
          <th>Violation</th>
          <th>Exemption</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}

function fixedRows(findings: readonly Finding[], status: "RESOLVED" | "REMEDIATED"): SafeHtml[] {
  return findings.map((f) => {
    const r = f.remediation;
    const how =
      status === "REMEDIATED" && r
        ? html`${r.action} <span class="muted">(${r.mode}, ${r.result})</span>`
        : r && r.result === "succeeded"
          ? html`after Vigil's ${r.action}`
          : html`fixed outside Vigil, or the resource was deleted`;
    return html`<tr data-finding="${f.id}" data-status="${status}">
      <td>${severityBadge(f.severity)}</td>
      <td class="mono">${f.checkId}</td>
      <td>${simpleResource(f)}</td>
      <td>${f.summary}</td>
      <td class="time">${changedAt(f, status)}</td>
      <td>${how}</td>
    </tr>`;
  });
}

const FIXED_HEAD = html`<thead>
  <tr>
    <th>Severity</th>
    <th>Check</th>
    <th>Resource</th>
    <th>Was failing because</th>
    <th>Since</th>
    <th>How</th>
  </tr>
</thead>`;

/** What got fixed: by Vigil (REMEDIATED) and for good (RESOLVED), newest first. */
export function fixedSection(model: ReportModel): SafeHtml {
  return html`<section id="resolved">
    <h2>Resolved since the last sweep (${model.resolved.length})</h2>
    ${
      model.resolved.length === 0
        ? html`<p>Nothing was resolved.</p>`
        : html`<table>
            ${FIXED_HEAD}
            <tbody>
              ${fixedRows(model.resolved, "RESOLVED")}
            </tbody>
          </table>`
    }
    ${
      model.remediated.length === 0
        ? ""
        : html`<h3>Remediated by Vigil (${model.remediated.length})</h3>
            <table>
              ${FIXED_HEAD}
              <tbody>
                ${fixedRows(model.remediated, "REMEDIATED")}
              </tbody>
            </table>`
    }
  </section>`;
}
