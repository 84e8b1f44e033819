import type { CheckDefinition } from "../checks/define";
import type { VigilConfig } from "../config/schema";
import { modeFor } from "../pipeline/evaluate";

/** The catalog as `vigil checks --json` prints it: stable field names outside tools read. */
export function catalogJson(checks: readonly CheckDefinition[], config: VigilConfig) {
  return checks.map((check) => ({
    id: check.id,
    title: check.title,
    severity: check.severity,
    resourceType: check.resourceType,
    controls: check.controls,
    description: check.description,
    triggers: check.triggers,
    iamActions: check.iamActions,
    remediation: check.remediation
      ? { id: check.remediation.id, defaultMode: check.remediation.defaultMode, mode: modeFor(check, config) }
      : null,
  }));
}

/** The README's table of checks; a test keeps the README in step with the catalog. */
export function catalogMarkdown(checks: readonly CheckDefinition[]): string {
  const rows = checks.map((c) => {
    const triggers = [
      ...c.triggers.cloudTrail.flatMap((t) => t.eventNames),
      ...c.triggers.config.map((t) => `Config ${t}`),
      ...[...new Set((c.triggers.events ?? []).map((t) => `"${t.detailType}"`))],
    ].join(", ");
    // No EventBridge trigger: the check is fed by a CloudWatch Logs subscription (the EKS audit log).
    const source = triggers || "CloudWatch Logs subscription";
    const remediation = c.remediation ? `${c.remediation.id} (${c.remediation.defaultMode})` : "none";
    return `| ${c.id} | ${c.title} | ${c.severity} | ${c.controls.join(", ")} | ${source} | ${remediation} |`;
  });
  return [
    "| Check | Title | Severity | Controls | Triggers | Remediation (default mode) |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
