import type { Severity } from "../../core/severity";
import { html, type SafeHtml } from "./escape";

/** Colours with enough contrast on white; every bar also carries its label and number as text. */
export const SEVERITY_COLOURS: Record<Severity, string> = {
  CRITICAL: "#7f1d1d",
  HIGH: "#c62828",
  MEDIUM: "#b45309",
  LOW: "#1d4ed8",
  INFORMATIONAL: "#4b5563",
};

export const OUTCOME_COLOURS = { PASS: "#15803d", FAIL: "#b91c1c", SUPPRESSED: "#6d28d9", "N/A": "#9ca3af" };

export interface Bar {
  label: string;
  value: number;
  colour: string;
  /** data-* attributes for the bar's group, e.g. `{ severity: "HIGH" }`. */
  data?: Record<string, string>;
}

function dataAttributes(data: Record<string, string> | undefined, value: number): SafeHtml {
  const pairs = Object.entries(data ?? {}).map(
    ([key, v]) => html` data-${key.replace(/[^a-z0-9-]/g, "")}="${v}"`,
  );
  return html`${pairs} data-count="${value}"`;
}

/**
 * Horizontal bar chart: one row per bar, label on the left, number right of the bar, so it reads
 * without colour and in a screen reader (the aria-label lists every value).
 */
export function barChart(title: string, bars: readonly Bar[]): SafeHtml {
  const labelWidth = 130;
  const barArea = 300;
  const rowHeight = 30;
  const width = labelWidth + barArea + 60;
  const height = bars.length * rowHeight + 8;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const summary = `${title}: ${bars.map((bar) => `${bar.label} ${bar.value}`).join(", ")}`;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * rowHeight;
    const length = bar.value === 0 ? 0 : Math.max(3, Math.round((bar.value / max) * barArea));
    return html`<g class="bar" ${dataAttributes(bar.data, bar.value)}>
      <text x="${labelWidth - 8}" y="${y + 19}" text-anchor="end" class="bar-label">${bar.label}</text>
      <rect
        x="${labelWidth}"
        y="${y + 4}"
        width="${length}"
        height="${rowHeight - 10}"
        rx="3"
        fill="${bar.colour}"
      ></rect>
      <text x="${labelWidth + length + 6}" y="${y + 19}" class="bar-value">${bar.value}</text>
    </g>`;
  });
  return html`<svg
    class="chart"
    role="img"
    aria-label="${summary}"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title>${summary}</title>
    ${rows}
  </svg>`;
}

export interface Segment {
  label: string;
  value: number;
  colour: string;
}

/** One bar split into parts (pass / fail / N/A) with a text legend giving each part's number. */
export function stackedBar(title: string, segments: readonly Segment[], width = 260): SafeHtml {
  const total = segments.reduce((n, s) => n + s.value, 0);
  const summary = `${title}: ${segments.map((s) => `${s.value} ${s.label}`).join(", ")}`;
  let x = 0;
  const rects = segments.map((segment) => {
    const w = total === 0 ? 0 : (segment.value / total) * width;
    const rect = html`<rect
      x="${x.toFixed(1)}"
      y="0"
      width="${w.toFixed(1)}"
      height="14"
      fill="${segment.colour}"
    ></rect>`;
    x += w;
    return rect;
  });
  const legend = segments.map(
    (s) =>
      html`<span class="legend-item"
        ><span class="swatch" style="background:${s.colour}"></span>${s.value} ${s.label}</span
      >`,
  );
  return html`<span class="stacked"
    ><svg
      role="img"
      aria-label="${summary}"
      viewBox="0 0 ${width} 14"
      width="${width}"
      height="14"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title>${summary}</title>
      <rect x="0" y="0" width="${width}" height="14" fill="#e5e7eb"></rect>
      ${rects}</svg
    ><span class="legend">${legend}</span></span
  >`;
}
