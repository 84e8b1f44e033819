import type { ResourceRef } from "../core/resource";
import type { Finding, FindingStatus } from "../findings/model";
import type { FindingsStore } from "../findings/store";
import type { Observation } from "../resources/adapter";
import type { SweepUnit } from "./report";

/**
 * The reconcile: after a COMPLETE listing, a resource that has a live finding but was not listed is
 * gone. It is run through the pipeline as deleted (state undefined, complete), so the lifecycle
 * closes its findings exactly as a deletion event would.
 */

/** Statuses that still claim something about a resource; RESOLVED ones have nothing left to close. */
export const LIVE_STATUSES: readonly FindingStatus[] = ["OPEN", "REMEDIATED", "SUPPRESSED"];

/** Where the reconcile gets a unit's live findings (injectable: a sweep reads them once for all units). */
export type LiveFindings = (unit: SweepUnit, global: boolean) => Promise<Finding[]>;

/** Whether a stored finding belongs to a unit: same account and type, same Region unless the type is global. */
export function inUnit(finding: Finding, unit: SweepUnit, global: boolean): boolean {
  const { resource } = finding;
  return (
    resource.account === unit.account &&
    resource.type === unit.resourceType &&
    (global || resource.region === unit.region)
  );
}

/**
 * Live findings from the store's status index (one query per live status, not a table scan), then
 * filtered to the unit. The table has no index by account/Region/type, so each call reads every
 * live finding: `liveFindingsOnce` shares one read between the units of a sweep.
 */
export async function liveFindingsOf(
  store: FindingsStore,
  unit: SweepUnit,
  global: boolean,
): Promise<Finding[]> {
  return (await readLive(store)).filter((finding) => inUnit(finding, unit, global));
}

async function readLive(store: FindingsStore): Promise<Finding[]> {
  const lists = await Promise.all(LIVE_STATUSES.map((status) => store.list({ status })));
  return lists.flat();
}

/**
 * One read of the live findings for a whole sweep, taken when the first unit reconciles. Taken
 * before a later unit's listing ends, it is safe: a finding opened meanwhile is simply not closed
 * this time, and one closed meanwhile is re-read (fresh) before anything is written.
 */
export function liveFindingsOnce(store: FindingsStore): LiveFindings {
  let live: Promise<Finding[]> | undefined;
  return async (unit, global) => {
    live ??= readLive(store);
    live.catch(() => (live = undefined)); // a failed read is retried by the next unit
    return (await live).filter((finding) => inUnit(finding, unit, global));
  };
}

/**
 * The resources of live findings that the listing did not return, one entry per resource (a
 * resource may have several findings), restricted to the checks in play.
 */
export function vanishedResources(
  live: readonly Finding[],
  listed: ReadonlySet<string>,
  checkIds: ReadonlySet<string>,
): ResourceRef[] {
  const gone = new Map<string, ResourceRef>();
  for (const finding of live) {
    if (listed.has(finding.resource.id) || !checkIds.has(finding.checkId)) continue;
    if (!gone.has(finding.resource.id)) gone.set(finding.resource.id, finding.resource);
  }
  return [...gone.values()];
}

/**
 * What "the resource is gone" looks like to the pipeline. `observedAt` is when the listing began:
 * a finding an event updated after that (a resource created mid-listing) is newer and stays.
 */
export function deletedObservation(resource: ResourceRef, observedAt: string): Observation {
  return { resource, state: undefined, complete: true, observedAt, tagsKnown: true };
}
