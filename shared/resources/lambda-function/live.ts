import type { LambdaClient } from "@aws-sdk/client-lambda";
import { errorName } from "../../aws/errors";
import { loadLambda } from "../../aws/sdk";
import { valueFacts } from "../../leaks/secret-values";
import type { LambdaFunctionState } from "./state";

const isFunctionGone = (error: unknown) => errorName(error) === "ResourceNotFoundException";

/** Lambda could not decrypt the variables with the function's KMS key for this caller. */
const isKmsError = (error: unknown) => /^KMS/.test(errorName(error));

/**
 * The function's `$LATEST` configuration as it is now. Undefined state = the function no longer
 * exists. `complete` is false when the variables could not be read (a KMS error): then nothing
 * can be said about them.
 */
export async function readFunction(
  lambda: LambdaClient,
  target: { functionName: string; functionArn: string },
): Promise<{ state: LambdaFunctionState | undefined; complete: boolean }> {
  const { GetFunctionConfigurationCommand } = await loadLambda();
  const { functionName, functionArn } = target;
  let out;
  try {
    out = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn }));
  } catch (error) {
    if (isFunctionGone(error)) return { state: undefined, complete: true };
    if (isKmsError(error))
      return { state: { functionName, functionArn, environmentError: errorName(error) }, complete: false };
    throw error;
  }
  const base: LambdaFunctionState = {
    functionName: out.FunctionName ?? functionName,
    functionArn,
    ...(out.KMSKeyArn ? { kmsKeyArn: out.KMSKeyArn } : {}),
  };
  const variables = out.Environment?.Variables;
  const error = out.Environment?.Error;
  if (!variables && error)
    return { state: { ...base, environmentError: error.ErrorCode ?? "unknown" }, complete: false };
  // The values are judged here and go no further.
  const environment = Object.entries(variables ?? {}).map(([name, value]) => ({
    name,
    value: valueFacts(value),
  }));
  return { state: { ...base, environment }, complete: true };
}

/** The function's tags (ListTags by ARN); a deleted function has none. */
export async function readFunctionTags(
  lambda: LambdaClient,
  functionArn: string,
): Promise<Record<string, string>> {
  const { ListTagsCommand } = await loadLambda();
  try {
    const out = await lambda.send(new ListTagsCommand({ Resource: functionArn }));
    return { ...out.Tags };
  } catch (error) {
    if (isFunctionGone(error)) return {};
    throw error;
  }
}
