import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { SQSEvent } from "aws-lambda";
import { sweepReadClients, sweepRemediationClients } from "../shared/aws/clients";
import { configFromEnv } from "../shared/config/load";
import { sweepRuntimeConfig } from "../shared/config/sweep";
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
          config: sweepRuntimeConfig(runtime.config),
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
  return {
    runtimeFor,
    collectors,
    sweep: sweepUnit,
    logger,
    ...(config.securityHub.export ? { exportFindings: securityHubExport() } : {}),
  };
}

/**
 * `securityHub.export`: the findings a unit touched go to Security Hub in their own Region, with
 * the worker's own credentials (the stack's account, whose default product the role may import into).
 */
function securityHubExport(): NonNullable<SweepWorkerDeps["exportFindings"]> {
  const clients = new Map<string, Promise<SecurityHubClient>>();
  const clientFor = async (region: string) => {
    let client = clients.get(region);
    if (!client) {
      const { createSecurityHubClient } = await import("../shared/outputs/security-hub-export");
      client = createSecurityHubClient(region);
      client.catch(() => clients.delete(region));
      clients.set(region, client);
    }
    return client;
  };
  return async (findings, region) => {
    const { syncSummary, syncToSecurityHub } = await import("../shared/outputs/security-hub-sync");
    const result = await syncToSecurityHub(findings, {
      clientFor,
      now: new Date(),
      homeRegion: region,
      logger,
    });
    logger.info(syncSummary(result), { region, ...result });
  };
}

const lazyHandler = lazy(async () => sweepWorker(fromEnvironment()));

export const handler = middy(async (event: SQSEvent, context: { invokedFunctionArn: string }) =>
  (await lazyHandler())(event, context),
).use(injectLambdaContext(logger, { clearState: true }));
