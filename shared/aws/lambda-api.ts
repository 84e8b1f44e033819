/** The parts of the Lambda SDK Vigil uses; only ever imported through `loadLambda()` (./sdk). */
export {
  GetFunctionConfigurationCommand,
  // The Slack interactivity function hands an approval to its own asynchronous invocation.
  // `vigil redrive` (shared/cli/redrive.ts) replays dead-lettered events with it too.
  InvokeCommand,
  LambdaClient,
  ListTagsCommand,
  // The sweep's listing (shared/sweep/collectors/lambda-functions.ts).
  paginateListFunctions,
} from "@aws-sdk/client-lambda";
