import type { Collector } from "../collector";

/**
 * Every collector, one per resource type the sweep lists. Adding a collector is adding its file
 * and one line here.
 */
export const collectors: readonly Collector[] = [];

export function collectorFor(resourceType: string): Collector | undefined {
  return collectors.find((collector) => collector.resourceType === resourceType);
}
