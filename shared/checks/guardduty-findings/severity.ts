import type { Severity } from "../../core/severity";

/**
 * GuardDuty's severity bands (GuardDuty User Guide, "Severity levels of GuardDuty findings"):
 * Critical 9.0-10.0, High 7.0-8.9, Medium 4.0-6.9, Low 1.0-3.9. Values below 1.0 (older and
 * sample findings) count as Low.
 */
const BANDS: readonly { from: number; label: string; severity: Severity }[] = [
  { from: 9, label: "Critical", severity: "CRITICAL" },
  { from: 7, label: "High", severity: "HIGH" },
  { from: 4, label: "Medium", severity: "MEDIUM" },
  { from: Number.NEGATIVE_INFINITY, label: "Low", severity: "LOW" },
];

function band(value: number) {
  // The last band starts at -Infinity, so there always is one.
  return BANDS.find((b) => value >= b.from) ?? { from: 0, label: "Low", severity: "LOW" as const };
}

export function severityFromGuardDuty(value: number): Severity {
  return band(value).severity;
}

/** As GuardDuty's console names it: `Low`, `Medium`, `High`, `Critical`. */
export function guardDutySeverityLabel(value: number): string {
  return band(value).label;
}
