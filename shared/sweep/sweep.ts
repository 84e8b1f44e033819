import type { CheckDefinition } from "../checks/define";
import type { Finding } from "../findings/model";
import type { EventContext } from "../pipeline/event-context";
import { IncompleteProcessingError, processObservations } from "../pipeline/process-event";
import type { VigilRuntime } from "../pipeline/runtime";
import type { Observation } from "../resources/adapter";
import type { Collector } from "./collector";
import { partitionOf } from "./partition";
import { forEachBounded } from "./pool";
import {
  deletedObservation,
  inUnit,
  liveFindingsOf,
  liveFindingsOnce,
  vanishedResources,
  type LiveFindings,
} from "./reconcile";
import type { ScanReport, SweepUnit, SweepUnitResult } from "./report";
import { tallyChecks } from "./tally";

export interface PlanInput {
  account: string;
  /** Regions to sweep; the first is the home Region, where `global` collectors run. */
  regions: readonly string[];
  collectors: readonly Collector[];
  /** Only these resource types (e.g. the types of `--checks`); all when undefined. */
  resourceTypes?: readonly string[];
}

/** The sweep's units: every regional collector in every Region, global ones in the home Region. */
export function planUnits(input: PlanInput): SweepUnit[] {
  const regions = [...new Set(input.regions)];
  const home = regions[0];
  if (home === undefined) return [];
  const wanted = input.resourceTypes ? new Set(input.resourceTypes) : undefined;
  const collectors = input.collectors.filter((c) => !wanted || wanted.has(c.resourceType));
  const units: SweepUnit[] = [];
  for (const region of regions) {
    for (const collector of collectors) {
      if (collector.scope === "global" && region !== home) continue;
      units.push({ account: input.account, region, resourceType: collector.resourceType });
    }
  }
  return units;
}

export interface SweepUnitOptions {
  collectors: readonly Collector[];
  /** Only these checks are evaluated and reconciled; all of the unit's type when undefined. */
  checkIds?: readonly string[];
  /**
   * When the sweep started (ISO): names the sweep's event id `sweep:<startedAt>:<region>:<type>`,
   * the same on a retry of the unit, so a redelivered unit does not act twice. Default: now.
   */
  startedAt?: string;
  /** Resources per call of the pipeline (default 25): memory stays flat however many are listed. */
  batchSize?: number;
  /** Where the reconcile reads live findings (default: the store's status index, per unit). */
  liveFindings?: LiveFindings;
  /** Return the ids of the findings the unit touched (`touchedFindingIds`). */
  trackFindings?: boolean;
}

const DEFAULT_BATCH = 25;

/** The deterministic event id of one unit of one sweep (findings keep it in `eventIds`). */
export function sweepEventId(startedAt: string, unit: SweepUnit): string {
  return `sweep:${startedAt}:${unit.region}:${unit.resourceType}`;
}

/** The checks a sweep of one type runs: the type's checks, narrowed to `checkIds` when given. */
export function checksInScope(
  checks: readonly CheckDefinition[],
  resourceTypes: ReadonlySet<string>,
  checkIds: readonly string[] | undefined,
): CheckDefinition[] {
  const ids = checkIds ? new Set(checkIds) : undefined;
  return checks.filter((c) => resourceTypes.has(c.resourceType) && (!ids || ids.has(c.id)));
}

/**
 * Collects one unit and runs every resource through the event path's processing (checks,
 * exemptions, remediation in the configured modes, findings, alerts), then reconciles: open
 * findings of the unit's type whose resource was not listed are closed as deleted. `rt` must
 * address the unit's Region (its read and remediation clients).
 *
 * Never throws for the unit's own problems: a collector error (nothing is resolved from a partial
 * listing) or a store/alert failure makes the outcome `failed` with the reason, for a retry.
 */
export async function sweepUnit(
  unit: SweepUnit,
  rt: VigilRuntime,
  options: SweepUnitOptions,
): Promise<SweepUnitResult> {
  const began = Date.now();
  const now = rt.now();
  const listingStart = now.toISOString();
  const touched = new Set<string>();
  const result = (
    outcome: SweepUnitResult["outcome"],
    resources: number,
    deleted: number,
    error?: string,
  ) => ({
    ...unit,
    outcome,
    resources,
    deletedResources: deleted,
    durationMs: Date.now() - began,
    ...(error !== undefined ? { error } : {}),
    ...(options.trackFindings ? { touchedFindingIds: [...touched] } : {}),
  });
  const collector = options.collectors.find((c) => c.resourceType === unit.resourceType);
  if (!collector) return result("failed", 0, 0, `no collector for ${unit.resourceType}`);
  if (!rt.readClients) return result("failed", 0, 0, "a sweep needs AWS access (no read clients)");

  const checks = checksInScope(rt.checks, new Set([unit.resourceType]), options.checkIds);
  const scoped: VigilRuntime = { ...rt, checks };
  const eventId = sweepEventId(options.startedAt ?? listingStart, unit);
  const eventTime = options.startedAt ?? listingStart;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const failures: string[] = [];
  // One pipeline call per batch, with a fresh failure list (the pipeline throws when it is not empty).
  const run = async (batch: Observation[], runtime: VigilRuntime = scoped) => {
    if (!batch.length) return;
    const ctx: EventContext = { eventId, eventTime, actor: undefined, failures: [] };
    try {
      const report = await processObservations(batch, ctx, runtime);
      for (const resource of report.resources) for (const f of resource.findings) touched.add(f.id);
      if (report.outcome !== "processed")
        rt.logger.warn("sweep: resources skipped", {
          eventId,
          outcome: report.outcome,
          reason: report.reason,
        });
    } catch (error) {
      // Store writes or alerts failed after retries: go on listing, fail the unit at the end (retried).
      if (!(error instanceof IncompleteProcessingError)) throw error;
      failures.push(...error.failures);
    }
  };

  const listed = new Set<string>();
  try {
    let batch: Observation[] = [];
    const context = {
      clients: rt.readClients,
      account: unit.account,
      region: unit.region,
      partition: partitionOf(unit.region),
      config: rt.config,
      now,
      logger: rt.logger,
    };
    for await (const observation of collector.collect(context)) {
      listed.add(observation.resource.id);
      batch.push(observation);
      if (batch.length >= batchSize) {
        await run(batch);
        batch = [];
      }
    }
    await run(batch);
  } catch (error) {
    rt.logger.error("sweep unit failed; nothing resolved from its partial listing", {
      ...unit,
      error: error as Error,
    });
    return result("failed", listed.size, 0, describe(error));
  }

  let deleted = 0;
  try {
    const global = collector.scope === "global";
    const live = await (options.liveFindings ?? ((u, g) => liveFindingsOf(rt.store, u, g)))(unit, global);
    // A tampering finding often reports the deletion itself (trail, recorder, detector deleted): the
    // resource missing from the listing confirms it rather than closing it; people close those.
    const closable = checks.filter((check) => !check.tampering);
    const gone = vanishedResources(live, listed, new Set(closable.map((c) => c.id)));
    deleted = gone.length;
    const closing: VigilRuntime = { ...rt, checks: closable };
    for (let i = 0; i < gone.length; i += batchSize)
      await run(
        gone.slice(i, i + batchSize).map((resource) => deletedObservation(resource, listingStart)),
        closing,
      );
  } catch (error) {
    return result("failed", listed.size, deleted, `reconcile: ${describe(error)}`);
  }
  if (failures.length)
    return result(
      "failed",
      listed.size,
      deleted,
      `${failures.length} store write(s), alert(s) or remediation(s) failed: ${failures.slice(0, 3).join("; ")}`,
    );
  return result("completed", listed.size, deleted);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export interface SweepOptions extends SweepUnitOptions {
  units: readonly SweepUnit[];
  /** The runtime for one Region (clients addressing it). */
  runtimeFor(region: string): VigilRuntime | Promise<VigilRuntime>;
  /** Units run at once (default 4). */
  concurrency?: number;
  onUnitDone?(result: SweepUnitResult, done: number, total: number): void;
  /**
   * RESOLVED findings in the report: those resolved (last touched) at or after this instant (ISO).
   * Default: the sweep's start, i.e. what this sweep found fixed or gone.
   */
  resolvedSince?: string;
}

/** Runs the units with bounded concurrency and builds the report from the stored findings. */
export async function runSweep(options: SweepOptions): Promise<ScanReport> {
  const { units } = options;
  const first = units[0] ? await options.runtimeFor(units[0].region) : undefined;
  const startedAt = options.startedAt ?? (first?.now() ?? new Date()).toISOString();
  // One read of the live findings for every unit's reconcile, unless the caller brings its own.
  const liveFindings = options.liveFindings ?? (first ? liveFindingsOnce(first.store) : undefined);
  const results: SweepUnitResult[] = new Array<SweepUnitResult>(units.length);
  let done = 0;
  await forEachBounded(units, options.concurrency ?? 4, async (unit, index) => {
    let outcome: SweepUnitResult;
    try {
      const rt = await options.runtimeFor(unit.region);
      outcome = await sweepUnit(unit, rt, {
        ...options,
        startedAt,
        ...(liveFindings ? { liveFindings } : {}),
      });
    } catch (error) {
      // e.g. the Region's runtime could not be built: the unit fails, the sweep goes on.
      outcome = {
        ...unit,
        outcome: "failed",
        resources: 0,
        deletedResources: 0,
        durationMs: 0,
        error: describe(error),
      };
    }
    results[index] = outcome;
    options.onUnitDone?.(outcome, ++done, units.length);
  });

  const globalTypes = new Set<string>(
    options.collectors.filter((c) => c.scope === "global").map((c) => c.resourceType),
  );
  const types = new Set(units.map((u) => u.resourceType));
  const checks = first ? checksInScope(first.checks, types, options.checkIds) : [];
  const checkIds = new Set(checks.map((c) => c.id));
  const resolvedSince = Date.parse(options.resolvedSince ?? startedAt);
  const inScope = (finding: Finding) =>
    checkIds.has(finding.checkId) &&
    units.some((u) => inUnit(finding, u, globalTypes.has(u.resourceType))) &&
    (finding.status !== "RESOLVED" || Date.parse(finding.lastSeen) >= resolvedSince);
  const findings = first ? (await first.store.list()).filter(inScope) : [];
  return {
    startedAt,
    finishedAt: (first?.now() ?? new Date()).toISOString(),
    scope: {
      accounts: [...new Set(units.map((u) => u.account))],
      regions: [...new Set(units.map((u) => u.region))],
    },
    units: results,
    checks: tallyChecks(checks, results, findings),
    findings,
  };
}
