import type { CheckContext, CheckDefinition, Violation } from "../checks/define";
import type { VigilConfig } from "../config/schema";
import type { RemediationMode } from "../core/modes";
import type { ResourceRef } from "../core/resource";
import type { Exemption } from "../exemptions/exemption";
import { configExemption } from "../exemptions/from-config";
import { tagExemption } from "../exemptions/from-tags";
import type { Observation } from "../resources/adapter";

export interface CheckResult {
  check: CheckDefinition;
  /** The mode this check asks for: CLI override, else config, else the check's default. */
  mode: RemediationMode;
  /** Violations to act on. */
  violations: Violation[];
  /** Violations an exemption covers: recorded as SUPPRESSED, never remediated. */
  exempt: { violation: Violation; exemption: Exemption }[];
  /** Why the check could not judge this state (see `CheckDefinition.undecided`); its finding stays as it is. */
  undecided?: string;
}

export function modeFor(check: CheckDefinition, config: VigilConfig): RemediationMode {
  if (!check.remediation) return "off";
  return config.modeOverride ?? config.modes[check.id] ?? check.remediation.defaultMode;
}

/** Runs every check for the observation's resource type. Pure. A deleted resource violates nothing. */
export function runChecks(
  observation: Observation,
  checks: readonly CheckDefinition[],
  context: CheckContext,
): CheckResult[] {
  return checks
    .filter((check) => check.resourceType === observation.resource.type)
    .map((check) => {
      const state = observation.state;
      const undecided = state ? check.undecided?.(state, context) : undefined;
      return {
        check,
        mode: modeFor(check, context.config),
        violations: state && !undecided ? check.evaluate(state, context) : [],
        exempt: [],
        ...(undecided ? { undecided } : {}),
      };
    });
}

/** Moves exempt violations aside: tag exemptions first (closest to the resource), then config ones. */
export function applyExemptions(
  results: CheckResult[],
  resource: ResourceRef,
  tags: Record<string, string> | undefined,
  config: VigilConfig,
  now: Date,
): CheckResult[] {
  return results.map((result) => {
    const kept: Violation[] = [];
    const exempt: CheckResult["exempt"] = [];
    for (const violation of result.violations) {
      const exemption =
        tagExemption(tags, result.check.id, config.exemptionTagKey, now) ??
        configExemption(config.exemptions, result.check.id, resource, violation.cidr, now);
      if (exemption) exempt.push({ violation, exemption });
      else kept.push(violation);
    }
    return { ...result, violations: kept, exempt };
  });
}
