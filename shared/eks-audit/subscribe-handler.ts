import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { standardClientConfig } from "../aws/clients";
import { loadCloudWatchLogs } from "../aws/sdk";
import { lazy } from "../core/lazy";
import { logger } from "../log";
import { handleAuditLoggingEvent, type SubscriptionReport } from "./subscribe";

/** Kept under the function's timeout (infra/eks-audit.ts), with room for the last call. */
export const SUBSCRIBE_WAIT_MS = 8 * 60_000;
export const SUBSCRIBE_INTERVAL_MS = 20_000;

/**
 * The Lambda wiring of the EKS audit log subscriber: EventBridge invokes it asynchronously, so a
 * throw (the log group not there yet after waiting, or a CloudWatch Logs error) makes Lambda retry
 * the event twice, then put it in the dead-letter queue.
 */
export function eksAuditSubscriberHandler(env: NodeJS.ProcessEnv = process.env) {
  const destinationArn = env.EKS_AUDIT_FUNCTION_ARN;
  if (!destinationArn) throw new Error("EKS_AUDIT_FUNCTION_ARN is not set");
  const logs = lazy(async () => new (await loadCloudWatchLogs()).CloudWatchLogsClient(standardClientConfig));
  const handle = async (event: unknown): Promise<SubscriptionReport> => {
    const report = await handleAuditLoggingEvent(
      event,
      { logs, destinationArn, logger },
      { waitMs: SUBSCRIBE_WAIT_MS, intervalMs: SUBSCRIBE_INTERVAL_MS },
    );
    logger.info("EKS audit log subscription", { report });
    return report;
  };
  return middy(handle).use(injectLambdaContext(logger, { clearState: true }));
}
