import type { ConfigExemption } from "../config/schema";
import type { ResourceRef } from "../core/resource";
import { cidrContains } from "../net/cidr";
import type { Exemption } from "./exemption";
import { isExpired } from "./exemption";

/** Every selector an entry names must match; selectors it leaves out match anything. */
function matches(
  entry: ConfigExemption,
  checkId: string,
  resource: ResourceRef,
  cidr: string | undefined,
): boolean {
  if (entry.checks !== "*" && !entry.checks.includes(checkId)) return false;
  if (entry.accounts && !entry.accounts.includes(resource.account)) return false;
  if (entry.regions && !entry.regions.includes(resource.region)) return false;
  if (entry.resourceIds && !entry.resourceIds.includes(resource.id)) return false;
  if (entry.cidrs && !(cidr && entry.cidrs.some((allowed) => cidrContains(allowed, cidr)))) return false;
  return true;
}

export function configExemption(
  entries: readonly ConfigExemption[],
  checkId: string,
  resource: ResourceRef,
  cidr: string | undefined,
  now: Date,
): Exemption | undefined {
  const entry = entries.find((e) => !isExpired(e.until, now) && matches(e, checkId, resource, cidr));
  if (!entry) return undefined;
  return {
    source: "config",
    matched: `config exemption for ${entry.checks === "*" ? "*" : entry.checks.join(",")}`,
    reason: entry.reason,
    ...(entry.until ? { until: entry.until } : {}),
  };
}
