/** The parts of the Lambda SDK Vigil uses; only ever imported through `loadLambda()` (./sdk). */
export { GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand } from "@aws-sdk/client-lambda";
