import { checkById } from "../checks/catalog";
import type { ScanReport } from "../sweep/report";
import { areasSection, frameworksSection, severitySection } from "./html/compliance";
import { html } from "./html/escape";
import { failingSection, fixedSection, suppressedSection, type CheckInfoLookup } from "./html/findings";
import { coverageSection, headerSection, summarySection } from "./html/header";
import { page } from "./html/layout";
import { buildModel } from "./html/model";

export interface HtmlOptions {
  title?: string;
  /** When the file was written (default: now); fixed in tests so the output is reproducible. */
  generatedAt?: string;
}

const fromCatalog: CheckInfoLookup = (checkId) => {
  const check = checkById(checkId);
  return check ? { description: check.description, remediation: check.remediation } : undefined;
};

/**
 * One self-contained HTML page for a sweep: inline CSS and SVG, no script, nothing fetched. Every
 * string that comes from a finding (names, evidence, actors) is escaped.
 */
export function formatHtml(report: ScanReport, options: HtmlOptions = {}): string {
  const title = options.title ?? "Vigil compliance report";
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const model = buildModel(report);
  const sections = [
    summarySection(report, model),
    severitySection(model),
    frameworksSection(model),
    areasSection(model),
    failingSection(model, fromCatalog),
    suppressedSection(model),
    fixedSection(model),
    coverageSection(report),
  ];
  const body = html`${headerSection(report, title, generatedAt)}
    <main>${sections}</main>`;
  return page(title, body);
}
