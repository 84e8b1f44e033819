import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { configFromEnv } from "../config/load";
import { logger } from "../log";
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
  let runtime: Promise<OwnedRuntime> | undefined;
  const handle = async (event: unknown): Promise<AuditBatchReport> => {
    const decoded = decodeSubscriptionEvent(event);
    if (decoded.kind !== "data") return unjudgedPayload(decoded, logger);
    runtime ??= runtimeFromEnv(config).catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    const report = await processAuditBatch(decoded.batch, (await runtime).runtime, region);
    logger.info("EKS audit batch processed", { function: functionName, report });
    return report;
  };
  return middy(handle).use(injectLambdaContext(logger, { clearState: true }));
}
