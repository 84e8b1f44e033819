import { z } from "zod";

/** Severity labels as Security Hub uses them, lowest first so the index orders them. */
export const SEVERITIES = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

export function highest(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>((a, b) => (severityRank(b) > severityRank(a) ? b : a), "INFORMATIONAL");
}
