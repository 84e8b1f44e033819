import type { CheckContext, CheckDefinition, Violation } from "../checks/define";
import { resolveMode, resolveModeWithSource, type AccountScope } from "../config/accounts";
import type { VigilConfig } from "../config/schema";
import type { RemediationMode } from "../core/modes";
import type { ResourceRef } from "../core/resource";
import type { Exemption } from "../exemptions/exemption";
import { configExemption } from "../exemptions/from-config";
import { tagExemption } from "../exemptions/from-tags";
import type { Observation } from "../resources/adapter";

export interface CheckResult {
  check: CheckDefinition;
  /** The mode this check asks for: CLI override, else per account/OU, else `modes`, else the check's default. */
  mode: RemediationMode;
  /** Which `accounts` entry set the mode (`set for OU ou-...: reason`), when one did. */
  modeSource?: string;
  /** Violations to act on. */
  violations: Violation[];
  /** Violations an exemption covers: recorded as SUPPRESSED, never remediated. */
  exempt: { violation: Violation; exemption: Exemption }[];
  /** Why the check could not judge this state (see `CheckDefinition.undecided`); its finding stays as it is. */
  undecided?: string;
}

/**
 * The check's mode: `modeOverride` (CLI, report-only sweep), else the entries of `accounts` that
 * match the scope (account beats OU, see shared/config/accounts.ts), else `modes`, else the default.
 * Without a scope (the catalog view) account entries don't apply.
 */
export function modeFor(check: CheckDefinition, config: VigilConfig, scope?: AccountScope): RemediationMode {
  if (!check.remediation) return "off";
  return resolveMode(config, check.id, check.remediation.defaultMode, scope);
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
        // Entries naming the account apply now; OU ones once `applyExemptions` knows the OUs.
        mode: modeFor(check, context.config, { account: observation.resource.account }),
        violations: state && !undecided ? check.evaluate(state, context) : [],
        exempt: [],
        ...(undecided ? { undecided } : {}),
      };
    });
}

/**
 * Applies the account's policy: moves exempt violations aside (tag exemptions first, closest to the
 * resource, then config ones) and sets each check's mode for the account. `organizationalUnits`: the
 * account's OUs, nearest first, when looked up; without them entries that only name OUs don't apply.
 */
export function applyExemptions(
  results: CheckResult[],
  resource: ResourceRef,
  tags: Record<string, string> | undefined,
  config: VigilConfig,
  now: Date,
  organizationalUnits?: readonly string[],
): CheckResult[] {
  const scope: AccountScope = { account: resource.account, organizationalUnits };
  return results.map((result) => {
    const kept: Violation[] = [];
    const exempt: CheckResult["exempt"] = [];
    for (const violation of result.violations) {
      const exemption =
        tagExemption(tags, result.check.id, config.exemptionTagKey, now) ??
        configExemption(
          config.exemptions,
          result.check.id,
          resource,
          violation.cidr,
          now,
          organizationalUnits,
        );
      if (exemption) exempt.push({ violation, exemption });
      else kept.push(violation);
    }
    const { mode, source } = result.check.remediation
      ? resolveModeWithSource(config, result.check.id, result.check.remediation.defaultMode, scope)
      : { mode: "off" as const, source: undefined };
    return { ...result, mode, ...(source ? { modeSource: source } : {}), violations: kept, exempt };
  });
}
