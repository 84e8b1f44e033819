import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { z } from "zod";
import type { Finding } from "../findings/model";
import type { VigilLogger } from "../log";
import type { VigilRuntime } from "../pipeline/runtime";
import type { Collector } from "./collector";
import type { SweepUnitResult } from "./report";
import type { sweepUnit } from "./sweep";

/** One sweep unit, as the planner queues it; `startedAt` names the sweep (the same on a retry). */
export const sweepMessageSchema = z
  .object({
    account: z.string().regex(/^\d{12}$/),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
    resourceType: z.string().min(1).max(256),
    startedAt: z.iso.datetime(),
  })
  .strict();
export type SweepMessage = z.infer<typeof sweepMessageSchema>;

export interface SweepWorkerDeps {
  /** The runtime addressing one Region (its read and remediation clients). */
  runtimeFor(region: string): Promise<VigilRuntime>;
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

/** The account a Lambda function runs in, from its own ARN. */
export function accountOf(functionArn: string): string {
  return functionArn.split(":")[4] ?? "";
}

/**
 * Sweeps the units in an SQS batch (one, the way the stack maps it). A unit that fails (collector
 * or store error) is reported as a batch item failure: SQS delivers it again after the visibility
 * timeout, then dead-letters it. A message that can't be a unit of this account is logged and
 * dropped: no retry would make it one.
 */
export function sweepWorker(deps: SweepWorkerDeps) {
  return async (event: SQSEvent, context: { invokedFunctionArn: string }): Promise<SQSBatchResponse> => {
    const account = accountOf(context.invokedFunctionArn);
    const failures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      const unit = parseMessage(record.body);
      if (!unit.success) {
        deps.logger.error("sweep message dropped: not a sweep unit", {
          messageId: record.messageId,
          problem: unit.error,
        });
        continue;
      }
      const { startedAt, ...sweepUnitKey } = unit.data;
      if (sweepUnitKey.account !== account) {
        deps.logger.error("sweep message dropped: a unit of another account", {
          messageId: record.messageId,
          unit: sweepUnitKey,
          account,
        });
        continue;
      }
      let result: SweepUnitResult;
      try {
        const rt = await deps.runtimeFor(sweepUnitKey.region);
        result = await deps.sweep(sweepUnitKey, rt, {
          collectors: deps.collectors,
          startedAt,
          ...(deps.exportFindings ? { trackFindings: true } : {}),
        });
        if (deps.exportFindings && result.touchedFindingIds?.length)
          await exportTouched(deps, rt, result.touchedFindingIds, sweepUnitKey.region);
      } catch (error) {
        result = {
          ...sweepUnitKey,
          outcome: "failed",
          resources: 0,
          deletedResources: 0,
          durationMs: 0,
          error: error instanceof Error ? error.message : String(error),
        };
      }
      // The ids are for the export, not the logs (a unit may touch thousands).
      const { touchedFindingIds, ...rest } = result;
      const logged = { ...rest, ...(touchedFindingIds ? { findingsTouched: touchedFindingIds.length } : {}) };
      if (result.outcome === "failed") {
        deps.logger.error("sweep unit failed; it will be retried", {
          messageId: record.messageId,
          startedAt,
          result: logged,
        });
        failures.push({ itemIdentifier: record.messageId });
      } else {
        deps.logger.info("sweep unit done", { startedAt, result: logged });
      }
    }
    return { batchItemFailures: failures };
  };
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

function parseMessage(
  body: string,
): { success: true; data: SweepMessage } | { success: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { success: false, error: `the body is not JSON (${body.length} characters)` };
  }
  const parsed = sweepMessageSchema.safeParse(json);
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, error: z.prettifyError(parsed.error) };
}
