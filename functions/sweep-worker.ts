import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { SQSEvent } from "aws-lambda";
import { sweepReadClients, sweepRemediationClients } from "../shared/aws/clients";
import { configFromEnv } from "../shared/config/load";
import { lazy } from "../shared/core/lazy";
import { logger } from "../shared/log";
import { runtimeFromEnv } from "../shared/pipeline/environment";
import type { VigilRuntime } from "../shared/pipeline/runtime";
import { collectors } from "../shared/sweep/collectors";
import { sweepUnit } from "../shared/sweep/sweep";
import { sweepWorker, type SweepWorkerDeps } from "../shared/sweep/worker";

/** The stack's wiring: one runtime (store, notifiers) per container, clients per Region with adaptive retry. */
function fromEnvironment(): SweepWorkerDeps {
  const config = configFromEnv();
  const base = lazy(() => runtimeFromEnv(config));
  const perRegion = new Map<string, Promise<VigilRuntime>>();
  const runtimeFor = (region: string) => {
    let rt = perRegion.get(region);
    if (!rt) {
      rt = base().then(({ runtime }) => {
        const reads = sweepReadClients(region);
        const assume =
          process.env.VIGIL_ASSUME_REMEDIATION_ROLE === "true"
            ? runtime.config.remediationRoleArn
            : undefined;
        // The remediation role may write in the stack's Region only: elsewhere the sweep reports
        // (remediation is recorded as held back) until a stack is deployed in that Region too.
        const home = region === process.env.AWS_REGION;
        return {
          ...runtime,
          readClients: reads,
          remediationClients: home
            ? { ...sweepRemediationClients(assume, region, reads), logger: runtime.logger }
            : undefined,
        };
      });
      rt.catch(() => perRegion.delete(region));
      perRegion.set(region, rt);
    }
    return rt;
  };
  return { runtimeFor, collectors, sweep: sweepUnit, logger };
}

const lazyHandler = lazy(async () => sweepWorker(fromEnvironment()));

export const handler = middy(async (event: SQSEvent, context: { invokedFunctionArn: string }) =>
  (await lazyHandler())(event, context),
).use(injectLambdaContext(logger, { clearState: true }));
