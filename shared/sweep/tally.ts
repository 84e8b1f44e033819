import type { CheckDefinition } from "../checks/define";
import type { Finding } from "../findings/model";
import type { CheckTally, SweepUnitResult } from "./report";

/**
 * Pass / fail per check from what the sweep listed and what the store holds afterwards. A finding
 * counts as failing while OPEN: REMEDIATED means Vigil fixed it (passing now), and a regression
 * reopens it (OPEN again). SUPPRESSED is failing but exempt, counted apart.
 */
export function tallyChecks(
  checks: readonly CheckDefinition[],
  units: readonly SweepUnitResult[],
  findings: readonly Finding[],
): CheckTally[] {
  const listed = new Map<string, number>();
  for (const unit of units)
    listed.set(unit.resourceType, (listed.get(unit.resourceType) ?? 0) + unit.resources);
  const failing = new Map<string, Set<string>>();
  const suppressed = new Map<string, Set<string>>();
  for (const finding of findings) {
    const into =
      finding.status === "OPEN" ? failing : finding.status === "SUPPRESSED" ? suppressed : undefined;
    if (!into) continue;
    const resources = into.get(finding.checkId) ?? new Set<string>();
    // One resource may have the same check failing in several Regions' findings only if ids differ.
    resources.add(`${finding.resource.account}|${finding.resource.region}|${finding.resource.id}`);
    into.set(finding.checkId, resources);
  }
  return checks.map((check) => ({
    checkId: check.id,
    title: check.title,
    severity: check.severity,
    controls: check.controls,
    resourceType: check.resourceType,
    evaluated: listed.get(check.resourceType) ?? 0,
    failed: failing.get(check.id)?.size ?? 0,
    suppressed: suppressed.get(check.id)?.size ?? 0,
  }));
}
