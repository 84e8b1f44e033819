import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { configFromEnv } from "../config/load";
import { logger } from "../log";
import { createVigilMetrics, publishMetrics, recordEventMetrics } from "../metrics/event-metrics";
import { runtimeFromEnv, type OwnedRuntime } from "../pipeline/environment";
import { processAuditBatch, unjudgedPayload, type AuditBatchReport } from "./batch";
import { decodeSubscriptionEvent } from "./payload";

/**
 * The Lambda wiring for the EKS audit log subscription, as `eventHandler` does it for EventBridge:
 * config validated at load, runtime built once per container (and not for payloads with nothing
 * to judge). CloudWatch Logs invokes the function asynchronously: a throw (only for retryable
 * failures) makes Lambda retry the batch twice, then put it in the dead-letter queue.
 */
export function eksAuditHandler(functionName: string) {
  const config = configFromEnv();
  const region = process.env.AWS_REGION ?? "us-east-1";
  const metrics = createVigilMetrics(logger);
  let runtime: Promise<OwnedRuntime> | undefined;
  const handle = async (event: unknown): Promise<AuditBatchReport> => {
    const decoded = decodeSubscriptionEvent(event);
    if (decoded.kind !== "data") return unjudgedPayload(decoded, logger);
    runtime ??= runtimeFromEnv(config).catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    try {
      const report = await processAuditBatch(decoded.batch, (await runtime).runtime, region);
      logger.info("EKS audit batch processed", { function: functionName, report });
      // One batch counts as one event received; no latency (a batch spans many audit events).
      recordEventMetrics(metrics, { eventType: "eks-audit", report, decidedAt: new Date() });
      return report;
    } catch (error) {
      recordEventMetrics(metrics, { eventType: "eks-audit", error, decidedAt: new Date() });
      throw error;
    }
  };
  return middy(handle)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(publishMetrics(metrics));
}
