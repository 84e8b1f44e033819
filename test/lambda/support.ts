import {
  GetFunctionConfigurationCommand,
  ListTagsCommand,
  type FunctionConfiguration,
} from "@aws-sdk/client-lambda";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import { findingId } from "../../shared/findings/id";
import { valueFacts } from "../../shared/leaks/secret-values";
import type { LambdaFunctionState } from "../../shared/resources/lambda-function/state";
import { loadEvent } from "../support/events";
import type { TestRuntime } from "../support/runtime";

export const ACCOUNT = "111122223333";
export const FUNCTION = "orders-api";
export const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${FUNCTION}`;
export const CHECK_ID = "VIGIL.LAMBDA.ENV_SECRETS";
export const FINDING_ID = findingId({
  account: ACCOUNT,
  region: "us-east-1",
  checkId: CHECK_ID,
  resourceId: FUNCTION,
});

export const context = (config: VigilConfigInput = {}) => ({ config: parseConfig(config) });
export const lambdaEvent = (name: string) => loadEvent(`lambda/${name}.json`);

/** Sample secret values, assembled so no literal in the repository looks like a live credential. */
export const DB_PASSWORD = "Tr0ub4dor" + "-and-3-horses";
export const STRIPE_KEY = "sk_" + "live_" + "51HxMPLaB3dE5fG7hJ9kL2mN4pQ";
export const SECRET_VALUES = [DB_PASSWORD, STRIPE_KEY];

/** An environment that leaks two secrets among ordinary settings. */
export const LEAKY_ENV: Record<string, string> = {
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  DB_PASSWORD,
  PAYMENTS_UPSTREAM: STRIPE_KEY,
  DB_SECRET_ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/prod/db-credentials-Qm3Zt8`,
  ACCESS_LOG_PATH: "/tmp/access.log",
};

/** The same function configured the right way: references, not values. */
export const CLEAN_ENV: Record<string, string> = {
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  DB_SECRET_ARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/prod/db-credentials-Qm3Zt8`,
  PAYMENTS_KEY_PARAMETER: "/orders/prod/payments-key",
};

/** A state as the adapter builds it from a live read. */
export function functionState(
  variables: Record<string, string> | undefined,
  extra: Partial<LambdaFunctionState> = {},
) {
  return {
    functionName: FUNCTION,
    functionArn: FUNCTION_ARN,
    ...(variables
      ? {
          environment: Object.entries(variables).map(([name, value]) => ({ name, value: valueFacts(value) })),
        }
      : {}),
    ...extra,
  } satisfies LambdaFunctionState;
}

/** What GetFunctionConfiguration answers for the function (`$LATEST`). */
export function stubFunction(
  t: TestRuntime,
  variables: Record<string, string> | undefined,
  extra: Partial<FunctionConfiguration> = {},
): void {
  t.lambda.on(GetFunctionConfigurationCommand).resolves({
    FunctionName: FUNCTION,
    FunctionArn: FUNCTION_ARN,
    Runtime: "nodejs20.x",
    Handler: "index.handler",
    Version: "$LATEST",
    ...(variables ? { Environment: { Variables: variables } } : {}),
    ...extra,
  });
}

export function stubTags(t: TestRuntime, tags: Record<string, string> = { team: "orders" }): void {
  t.lambda.on(ListTagsCommand).resolves({ Tags: tags });
}

export function awsError(name: string): Error {
  return Object.assign(new Error(`${name}: simulated`), { name, $metadata: {} });
}
