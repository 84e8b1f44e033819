import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import { z } from "zod";
import type { VigilConfig } from "../config/schema";
import { sweepRegions } from "../config/sweep";
import type { VigilLogger } from "../log";
import type { SweepAccounts, sweepAccounts } from "./accounts";
import type { Collector } from "./collector";
import type { planUnits } from "./sweep";

/**
 * Step Functions' limit on a state's data is 256 KiB; the Lambda task's result wraps the plan with
 * a little metadata, so the plan keeps some room.
 */
export const MAX_PLAN_BYTES = 250_000;

/** What the schedule sends (infra: EventBridge Scheduler's `<aws.scheduler.scheduled-time>`). */
const scheduleInputSchema = z.looseObject({ scheduledTime: z.iso.datetime().optional() });

export interface SweepPlannerDeps {
  config: VigilConfig;
  /** The stack's Region: the sweep's home Region when `sweep.regions` is empty. */
  region: string;
  /** The stack's account (env VIGIL_HOME_ACCOUNT); default: the function's own, from its ARN. */
  homeAccount?: string;
  collectors: readonly Collector[];
  plan: typeof planUnits;
  accounts: typeof sweepAccounts;
  organizations: () => Promise<OrganizationsClient>;
  now: () => Date;
  logger: VigilLogger;
}

/** One (account, Region) pair: a child execution of the state machine's Distributed Map. */
export interface SweepPair {
  account: string;
  region: string;
  /** Key of the pair's resource types in `SweepPlan.resourceTypes`. */
  types: string;
}

/**
 * The plan the state machine runs (infra/sweep.ts). It travels in the execution's state, limited
 * to 256 KB, so each pair is small and names its list of resource types instead of carrying it:
 * pairs that sweep the same types (every non-home Region, every home Region) share one list.
 * About 63 bytes a pair: some 3,500 pairs (e.g. 250 accounts x 14 Regions) fit (`MAX_PLAN_BYTES`).
 */
export interface SweepPlan {
  /** Names the sweep (the units' event ids): the schedule's time, so a retried start is the same sweep. */
  startedAt: string;
  homeAccount: string;
  accounts: number;
  regions: string[];
  units: number;
  resourceTypes: Record<string, string[]>;
  pairs: SweepPair[];
}

/**
 * Plans one sweep: the accounts (the home account; in organisation mode also the organisation's
 * active accounts under the configured OUs) x the Regions (`sweep.regions`) x the collectors'
 * resource types (global types only in the home Region: `planUnits`), grouped by account and
 * Region for the Distributed Map.
 */
export function sweepPlanner(deps: SweepPlannerDeps) {
  return async (event: unknown, context: { invokedFunctionArn: string }): Promise<SweepPlan> => {
    const input = scheduleInputSchema.safeParse(event ?? {});
    const startedAt = (input.success && input.data.scheduledTime) || deps.now().toISOString();
    const homeAccount = deps.homeAccount || (context.invokedFunctionArn.split(":")[4] ?? "");
    const regions = sweepRegions(deps.config.sweep, deps.region);
    const found: SweepAccounts = await deps.accounts(
      deps.config.organization,
      homeAccount,
      deps.organizations,
    );
    if (found.skipped.length) deps.logger.info("sweep: accounts left out", { skipped: found.skipped });

    const resourceTypes: Record<string, string[]> = {};
    const keyOf = new Map<string, string>();
    const pairs: SweepPair[] = [];
    let units = 0;
    for (const account of found.accounts) {
      const byRegion = new Map<string, string[]>();
      for (const unit of deps.plan({ account, regions, collectors: deps.collectors })) {
        const types = byRegion.get(unit.region) ?? [];
        types.push(unit.resourceType);
        byRegion.set(unit.region, types);
        units++;
      }
      for (const [region, types] of byRegion) {
        const signature = JSON.stringify(types);
        let key = keyOf.get(signature);
        if (key === undefined) {
          key = String(keyOf.size);
          keyOf.set(signature, key);
          resourceTypes[key] = types;
        }
        pairs.push({ account, region, types: key });
      }
    }
    const plan: SweepPlan = {
      startedAt,
      homeAccount,
      accounts: found.accounts.length,
      regions,
      units,
      resourceTypes,
      pairs,
    };
    const bytes = Buffer.byteLength(JSON.stringify(plan));
    if (bytes > MAX_PLAN_BYTES)
      // Fails the execution (alarmed) with the reason, rather than Step Functions' States.DataLimitExceeded.
      throw new Error(
        `the sweep plan is too large for Step Functions' state (${pairs.length} account/Region pairs, ${bytes} bytes, ` +
          `limit ${MAX_PLAN_BYTES}): sweep fewer Regions (sweep.regions) or OUs (organization.organizationalUnits)`,
      );
    deps.logger.info("sweep planned", {
      startedAt,
      accounts: plan.accounts,
      regions,
      pairs: pairs.length,
      units,
    });
    return plan;
  };
}
