import { inScope, matchLevel, type AccountScope } from "../config/accounts";
import type { ConfigExemption } from "../config/schema";
import type { ResourceRef } from "../core/resource";
import { cidrContains } from "../net/cidr";
import type { Exemption } from "./exemption";
import { isExpired } from "./exemption";

/**
 * Every selector an entry names must match; selectors it leaves out match anything. `accounts` and
 * `organizationalUnits` together are one selector: the account is listed, or it sits below a listed OU.
 */
function matches(
  entry: ConfigExemption,
  checkId: string,
  resource: ResourceRef,
  cidr: string | undefined,
  scope: AccountScope,
): boolean {
  if (!coversCheck(entry, checkId)) return false;
  if (!inScope(entry, scope)) return false;
  if (entry.regions && !entry.regions.includes(resource.region)) return false;
  if (entry.resourceIds && !entry.resourceIds.includes(resource.id)) return false;
  if (entry.cidrs && !(cidr && entry.cidrs.some((allowed) => cidrContains(allowed, cidr)))) return false;
  return true;
}

export function coversCheck(entry: Pick<ConfigExemption, "checks">, checkId: string): boolean {
  return entry.checks === "*" || entry.checks.includes(checkId);
}

/**
 * The first config exemption that covers this violation. `organizationalUnits`: the account's OUs,
 * nearest first, when looked up; without them an entry that only names OUs matches nothing.
 */
export function configExemption(
  entries: readonly ConfigExemption[],
  checkId: string,
  resource: ResourceRef,
  cidr: string | undefined,
  now: Date,
  organizationalUnits?: readonly string[],
): Exemption | undefined {
  const scope: AccountScope = { account: resource.account, organizationalUnits };
  const entry = entries.find((e) => !isExpired(e.until, now) && matches(e, checkId, resource, cidr, scope));
  if (!entry) return undefined;
  const checks = entry.checks === "*" ? "*" : entry.checks.join(",");
  return {
    source: "config",
    matched: `config exemption for ${checks}${throughUnit(entry, scope)}`,
    reason: entry.reason,
    ...(entry.until ? { until: entry.until } : {}),
  };
}

/** ` in ou-...` when the entry covers the account only through an OU, so the finding says which. */
function throughUnit(entry: ConfigExemption, scope: AccountScope): string {
  if (!entry.organizationalUnits || entry.accounts?.includes(scope.account)) return "";
  const level = matchLevel(entry, scope);
  const units = scope.organizationalUnits ?? [];
  const unit = level === undefined ? undefined : units[units.length - level];
  return unit ? ` in ${unit}` : "";
}
