/**
 * Bounds for what a GuardDuty finding may put in state and evidence: findings embed attacker-chosen
 * text (user agents, request URIs, domains, tag values), so every string and list is capped.
 */

/** At most `max` characters, marked with an ellipsis when cut; undefined for empty or absent text. */
export function cut(value: string | null | undefined, max = 300): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  const points = Array.from(trimmed);
  return points.length <= max ? trimmed : `${points.slice(0, max - 1).join("")}…`;
}

/** The first `max` defined, distinct values. */
export function firstDistinct<T>(values: readonly (T | undefined)[], max: number): T[] {
  return [...new Set(values.filter((v): v is T => v !== undefined))].slice(0, max);
}

export const LIMITS = {
  title: 500,
  description: 1000,
  userAgent: 300,
  requestUri: 500,
  image: 300,
  tagKey: 128,
  tagValue: 256,
  tags: 50,
  images: 10,
  sourceIps: 10,
  probedPorts: 20,
  networkInterfaces: 32,
  securityGroups: 16,
  buckets: 10,
  groups: 10,
} as const;

/** The object without its undefined fields, so state and evidence stay small and JSON-clean. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
