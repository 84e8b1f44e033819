/** The parts of the Lambda SDK Vigil uses; only ever imported through `loadLambda()` (./sdk). */
export {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListTagsCommand,
  // The sweep's listing (shared/sweep/collectors/lambda-functions.ts).
  paginateListFunctions,
} from "@aws-sdk/client-lambda";
