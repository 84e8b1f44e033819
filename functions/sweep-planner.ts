import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { sweepClientConfig } from "../shared/aws/clients";
import { loadSqs } from "../shared/aws/sdk";
import { configFromEnv } from "../shared/config/load";
import { lazy } from "../shared/core/lazy";
import { logger } from "../shared/log";
import { collectors } from "../shared/sweep/collectors";
import { sweepPlanner, type SweepPlannerDeps } from "../shared/sweep/planner";
import { planUnits } from "../shared/sweep/sweep";

function fromEnvironment(): SweepPlannerDeps {
  const queueUrl = process.env.SWEEP_QUEUE_URL;
  if (!queueUrl) throw new Error("SWEEP_QUEUE_URL is not set");
  const region = process.env.AWS_REGION ?? "us-east-1";
  return {
    config: configFromEnv(),
    region,
    queueUrl,
    collectors,
    plan: planUnits,
    sqs: lazy(async () => new (await loadSqs()).SQSClient(sweepClientConfig(region))),
    now: () => new Date(),
    logger,
  };
}

const lazyHandler = lazy(async () => sweepPlanner(fromEnvironment()));

export const handler = middy(async (event: unknown, context: { invokedFunctionArn: string }) =>
  (await lazyHandler())(event, context),
).use(injectLambdaContext(logger, { clearState: true }));
