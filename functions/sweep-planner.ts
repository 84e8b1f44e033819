import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { standardClientConfig } from "../shared/aws/clients";
import { loadOrganizations } from "../shared/aws/sdk";
import { configFromEnv } from "../shared/config/load";
import { lazy } from "../shared/core/lazy";
import { logger } from "../shared/log";
import { sweepAccounts } from "../shared/sweep/accounts";
import { collectors } from "../shared/sweep/collectors";
import { sweepPlanner, type SweepPlannerDeps } from "../shared/sweep/planner";
import { planUnits } from "../shared/sweep/sweep";

function fromEnvironment(): SweepPlannerDeps {
  const region = process.env.AWS_REGION ?? "us-east-1";
  return {
    config: configFromEnv(),
    region,
    ...(process.env.VIGIL_HOME_ACCOUNT ? { homeAccount: process.env.VIGIL_HOME_ACCOUNT } : {}),
    collectors,
    plan: planUnits,
    accounts: sweepAccounts,
    // Organizations has one global endpoint per partition; the SDK resolves it from any Region.
    organizations: lazy(
      async () => new (await loadOrganizations()).OrganizationsClient({ ...standardClientConfig, region }),
    ),
    now: () => new Date(),
    logger,
  };
}

const lazyHandler = lazy(async () => sweepPlanner(fromEnvironment()));

/** Invoked by the sweep's state machine with the schedule's input; returns the plan (infra/sweep.ts). */
export const handler = middy(async (event: unknown, context: { invokedFunctionArn: string }) =>
  (await lazyHandler())(event, context),
).use(injectLambdaContext(logger, { clearState: true }));
