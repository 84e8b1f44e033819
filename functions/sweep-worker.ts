import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { sweepReadClients, sweepRemediationClients } from "../shared/aws/clients";
import { configFromEnv } from "../shared/config/load";
import { lazy } from "../shared/core/lazy";
import { logger } from "../shared/log";
import { runtimeFromEnv } from "../shared/pipeline/environment";
import { collectors } from "../shared/sweep/collectors";
import { sweepUnit } from "../shared/sweep/sweep";
import { sweepRuntimes } from "../shared/sweep/unit-runtime";
import { sweepWorker, type SweepWorkerDeps } from "../shared/sweep/worker";

/** The stack's wiring: one runtime (store, notifiers) per container, clients per account and Region with adaptive retry. */
function fromEnvironment(): SweepWorkerDeps {
  const config = configFromEnv();
  const base = lazy(async () => (await runtimeFromEnv(config)).runtime);
  return {
    runtimeFor: sweepRuntimes({
      base,
      config,
      stackRegion: process.env.AWS_REGION ?? "",
      homeRemediationRole:
        process.env.VIGIL_ASSUME_REMEDIATION_ROLE === "true" ? config.remediationRoleArn : undefined,
      readClients: sweepReadClients,
      remediationClients: sweepRemediationClients,
    }),
    organization: config.organization,
    ...(process.env.VIGIL_HOME_ACCOUNT ? { homeAccount: process.env.VIGIL_HOME_ACCOUNT } : {}),
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

/** Invoked by the sweep's state machine with one unit (infra/sweep.ts). */
export const handler = middy(async (event: unknown, context: { invokedFunctionArn: string }) =>
  (await lazyHandler())(event, context),
).use(injectLambdaContext(logger, { clearState: true }));
