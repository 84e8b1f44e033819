import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { configFromEnv } from "../config/load";
import { logger } from "../log";
import { runtimeFromEnv, type OwnedRuntime } from "./environment";
import { processEvent, type EventReport } from "./process-event";

/**
 * The shared Lambda wiring: the configuration is validated when the module loads (a bad config
 * fails the function's init with a readable message), the runtime is built once per container.
 */
export function eventHandler(functionName: string) {
  const config = configFromEnv();
  let runtime: Promise<OwnedRuntime> | undefined;
  const handle = async (event: unknown): Promise<EventReport> => {
    runtime ??= runtimeFromEnv(config).catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    const report = await processEvent(event, (await runtime).runtime);
    logger.info("event processed", { function: functionName, report });
    return report;
  };
  return middy(handle).use(injectLambdaContext(logger, { clearState: true }));
}
