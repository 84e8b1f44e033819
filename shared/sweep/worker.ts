import { z } from "zod";
import type { OrganizationSettings } from "../config/organization";
import type { Finding } from "../findings/model";
import type { VigilLogger } from "../log";
import type { VigilRuntime } from "../pipeline/runtime";
import type { Collector } from "./collector";
import type { SweepUnit, SweepUnitResult } from "./report";
import type { sweepUnit } from "./sweep";

const ACCOUNT = z.string().regex(/^\d{12}$/);

/**
 * One sweep unit, as the state machine passes it to the worker (infra/sweep.ts): a resource type
 * in one account and Region; `startedAt` names the sweep (the same on a retry).
 */
export const sweepUnitInputSchema = z
  .object({
    account: ACCOUNT,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
    resourceType: z.string().min(1).max(256),
    startedAt: z.iso.datetime(),
    /** The planner's home account; the worker's VIGIL_HOME_ACCOUNT wins when set. */
    homeAccount: ACCOUNT.optional(),
  })
  .strict();
export type SweepUnitInput = z.infer<typeof sweepUnitInputSchema>;

/**
 * Error names the state machine acts on (a Lambda error's name is its `errorType`, which Step
 * Functions matches in Retry and Catch): a failed unit is retried later, an invalid one never.
 */
export const SWEEP_UNIT_FAILED = "SweepUnitFailed";
export const INVALID_SWEEP_UNIT = "InvalidSweepUnit";

export class SweepUnitFailedError extends Error {
  override readonly name = SWEEP_UNIT_FAILED;
}
export class InvalidSweepUnitError extends Error {
  override readonly name = INVALID_SWEEP_UNIT;
}

/** Where a unit runs: its account and Region, and the account Vigil itself runs in. */
export interface UnitTarget {
  account: string;
  region: string;
  homeAccount: string;
}

export interface SweepWorkerDeps {
  /** The runtime addressing one account and Region (its read and remediation clients). */
  runtimeFor(target: UnitTarget): Promise<VigilRuntime>;
  /** Organisation mode allows units of other accounts (swept through their member role); default off. */
  organization?: Pick<OrganizationSettings, "enabled">;
  /** The stack's account (env VIGIL_HOME_ACCOUNT); else the unit's `homeAccount`, else the function's. */
  homeAccount?: string;
  collectors: readonly Collector[];
  sweep: typeof sweepUnit;
  logger: VigilLogger;
  /**
   * Optional (config `securityHub.export`): sends the findings a unit touched to Security Hub
   * after the unit; `region` is the unit's. Its failures are logged by it and never fail the unit:
   * the findings are stored, and the next sweep exports them again.
   */
  exportFindings?(findings: readonly Finding[], region: string): Promise<void>;
}

/** What the worker returns to the state machine: small (it is kept in the execution's state). */
export type SweepUnitOutput = Omit<SweepUnitResult, "touchedFindingIds" | "error">;

/** The account a Lambda function runs in, from its own ARN. */
export function accountOf(functionArn: string): string {
  return functionArn.split(":")[4] ?? "";
}

/**
 * Sweeps one unit. A failed unit (collector, store or alert error) throws SweepUnitFailed, which
 * the state machine retries with backoff and then records as failed; input that can't be a unit
 * of this deployment throws InvalidSweepUnit (no retry would fix it).
 */
export function sweepWorker(deps: SweepWorkerDeps) {
  return async (event: unknown, context: { invokedFunctionArn: string }): Promise<SweepUnitOutput> => {
    const parsed = sweepUnitInputSchema.safeParse(event);
    if (!parsed.success) {
      const problem = z.prettifyError(parsed.error);
      deps.logger.error("sweep unit rejected: not a sweep unit", { problem });
      throw new InvalidSweepUnitError(`not a sweep unit: ${problem}`);
    }
    const { startedAt, homeAccount: planned, ...unit } = parsed.data;
    const homeAccount = deps.homeAccount || planned || accountOf(context.invokedFunctionArn);
    if (unit.account !== homeAccount && !deps.organization?.enabled) {
      deps.logger.error("sweep unit rejected: another account's unit outside organisation mode", {
        unit,
        homeAccount,
      });
      throw new InvalidSweepUnitError(
        `unit of account ${unit.account}, but Vigil runs in ${homeAccount} and organisation mode is off`,
      );
    }

    const result = await sweepOne(deps, unit, homeAccount, startedAt);
    // The ids are for the export, not the logs (a unit may touch thousands).
    const { touchedFindingIds, error, ...output } = result;
    const logged = { ...output, ...(touchedFindingIds ? { findingsTouched: touchedFindingIds.length } : {}) };
    if (result.outcome === "failed") {
      deps.logger.error("sweep unit failed", { startedAt, result: { ...logged, error } });
      throw new SweepUnitFailedError(
        `${unit.account} ${unit.region} ${unit.resourceType}: ${error ?? "failed"}`,
      );
    }
    deps.logger.info("sweep unit done", { startedAt, result: logged });
    return output;
  };
}

async function sweepOne(
  deps: SweepWorkerDeps,
  unit: SweepUnit,
  homeAccount: string,
  startedAt: string,
): Promise<SweepUnitResult> {
  try {
    const rt = await deps.runtimeFor({ account: unit.account, region: unit.region, homeAccount });
    const result = await deps.sweep(unit, rt, {
      collectors: deps.collectors,
      startedAt,
      ...(deps.exportFindings ? { trackFindings: true } : {}),
    });
    if (deps.exportFindings && result.touchedFindingIds?.length)
      await exportTouched(deps, rt, result.touchedFindingIds, unit.region);
    return result;
  } catch (error) {
    // The runtime (e.g. the member role can't be assumed) or the sweep itself threw.
    return {
      ...unit,
      outcome: "failed",
      resources: 0,
      deletedResources: 0,
      durationMs: 0,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Reads the touched findings from the store (every status) and exports them; logs, never throws. */
async function exportTouched(
  deps: SweepWorkerDeps,
  rt: VigilRuntime,
  ids: readonly string[],
  region: string,
): Promise<void> {
  try {
    const findings = [...(await rt.store.getMany(ids)).values()];
    await deps.exportFindings?.(findings, region);
  } catch (error) {
    deps.logger.error("Security Hub export after the sweep unit failed", {
      region,
      findings: ids.length,
      error: error as Error,
    });
  }
}
