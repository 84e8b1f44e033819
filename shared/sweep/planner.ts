import type { SQSClient } from "@aws-sdk/client-sqs";
import { z } from "zod";
import { loadSqs } from "../aws/sdk";
import type { VigilConfig } from "../config/schema";
import { sweepRegions } from "../config/sweep";
import type { VigilLogger } from "../log";
import type { Collector } from "./collector";
import type { planUnits } from "./sweep";
import type { SweepMessage } from "./worker";

/** SQS's limit per SendMessageBatch call. */
const SQS_BATCH = 10;

/** What the schedule sends (infra: EventBridge Scheduler's `<aws.scheduler.scheduled-time>`). */
const scheduleInputSchema = z.looseObject({ scheduledTime: z.iso.datetime().optional() });

export interface SweepPlannerDeps {
  config: VigilConfig;
  /** The stack's Region: the sweep's home Region when `sweep.regions` is empty. */
  region: string;
  queueUrl: string;
  collectors: readonly Collector[];
  plan: typeof planUnits;
  sqs: () => Promise<SQSClient>;
  now: () => Date;
  logger: VigilLogger;
}

export interface PlanReport {
  startedAt: string;
  regions: string[];
  units: number;
}

/**
 * Plans one sweep and queues one message per unit (a resource type in a Region) for the workers.
 * The sweep is named by the schedule's time, so a retried invocation queues the same units with the
 * same name (the workers' findings then record the sweep once).
 */
export function sweepPlanner(deps: SweepPlannerDeps) {
  return async (event: unknown, context: { invokedFunctionArn: string }): Promise<PlanReport> => {
    const input = scheduleInputSchema.safeParse(event ?? {});
    const startedAt = (input.success && input.data.scheduledTime) || deps.now().toISOString();
    // The function's own account, from its ARN: the sweep covers the account it runs in.
    const account = context.invokedFunctionArn.split(":")[4] ?? "";
    const regions = sweepRegions(deps.config.sweep, deps.region);
    const units = deps.plan({ account, regions, collectors: deps.collectors });
    const messages: SweepMessage[] = units.map((unit) => ({ ...unit, startedAt }));
    const { SendMessageBatchCommand } = await loadSqs();
    const sqs = await deps.sqs();
    for (let i = 0; i < messages.length; i += SQS_BATCH) {
      const batch = messages.slice(i, i + SQS_BATCH);
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: deps.queueUrl,
          Entries: batch.map((message, n) => ({ Id: String(i + n), MessageBody: JSON.stringify(message) })),
        }),
      );
      if (sent.Failed?.length)
        // The whole plan again on retry: units already queued are swept twice under the same name.
        throw new Error(
          `could not queue ${sent.Failed.length} sweep unit(s): ${sent.Failed.map((f) => `${f.Code}: ${f.Message ?? ""}`).join("; ")}`,
        );
    }
    const report = { startedAt, regions, units: messages.length };
    deps.logger.info("sweep planned", { report });
    return report;
  };
}
