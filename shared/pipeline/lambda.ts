import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { configFromEnv } from "../config/load";
import { logger } from "../log";
import {
  createVigilMetrics,
  publishMetrics,
  recordEventMetrics,
  type VigilMetrics,
} from "../metrics/event-metrics";
import { eventTimeOf, eventTypeOf } from "../metrics/event-type";
import { runtimeFromEnv, type OwnedRuntime } from "./environment";
import { processEvent, type EventReport } from "./process-event";
import type { VigilRuntime } from "./runtime";

/**
 * The shared Lambda wiring: the configuration is validated when the module loads (a bad config
 * fails the function's init with a readable message), the runtime is built once per container.
 */
export function eventHandler(functionName: string) {
  const config = configFromEnv();
  let runtime: Promise<OwnedRuntime> | undefined;
  const runtimeOf = async () => {
    runtime ??= runtimeFromEnv(config).catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    return (await runtime).runtime;
  };
  return instrumentedEventHandler(functionName, runtimeOf, createVigilMetrics(logger));
}

/**
 * processEvent as a Lambda handler, with its metrics (shared/metrics): recorded from the report
 * after the decision (or from the error when it throws), written to stdout as EMF by `logMetrics`
 * when the invocation ends, so they add nothing before the remediation. Tests pass a test runtime.
 */
export function instrumentedEventHandler(
  functionName: string,
  runtimeOf: () => Promise<VigilRuntime>,
  metrics: VigilMetrics,
  now: () => Date = () => new Date(),
) {
  const handle = async (event: unknown): Promise<EventReport> => {
    const outcome = { eventType: eventTypeOf(event), eventTime: eventTimeOf(event) };
    let report: EventReport;
    try {
      report = await processEvent(event, await runtimeOf());
    } catch (error) {
      recordEventMetrics(metrics, { ...outcome, error, decidedAt: now() });
      throw error;
    }
    recordEventMetrics(metrics, { ...outcome, report, decidedAt: now() });
    logger.info("event processed", { function: functionName, report });
    return report;
  };
  return middy(handle)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(publishMetrics(metrics));
}
