import type { Exemption } from "./exemption";
import { isExpired } from "./exemption";

/**
 * Tag exemptions (design §6): `<key>` lists check ids (comma or space separated) or `*`;
 * `<key>-until` (ISO date) and `<key>-reason` qualify it.
 */
export function tagExemption(
  tags: Record<string, string> | undefined,
  checkId: string,
  tagKey: string,
  now: Date,
): Exemption | undefined {
  const value = tags?.[tagKey];
  if (value === undefined) return undefined;
  const listed = value
    .split(/[\s,]+/)
    .map((id) => id.trim().toUpperCase())
    .filter(Boolean);
  if (!listed.includes("*") && !listed.includes(checkId.toUpperCase())) return undefined;
  const until = tags?.[`${tagKey}-until`];
  if (isExpired(until, now)) return undefined;
  const reason = tags?.[`${tagKey}-reason`];
  return {
    source: "tag",
    matched: `${tagKey}=${value}`,
    ...(reason ? { reason } : {}),
    ...(until ? { until } : {}),
  };
}
