import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { loadLambda } from "../aws/sdk";
import type { VigilLogger } from "../log";
import {
  approvalJobSchema,
  handleSlackRequest,
  runApprovalJob,
  type ApprovalJob,
  type SlackInteractivityDeps,
} from "./slack-interactivity";

/** A Lambda function URL request (payload format 2.0), as opposed to the function's own approval job. */
function isFunctionUrlEvent(event: unknown): event is LambdaFunctionURLEvent {
  const e = event as { version?: unknown; requestContext?: { http?: unknown } } | null;
  return e?.version === "2.0" && typeof e.requestContext?.http === "object";
}

/**
 * Hands a job to this function's own asynchronous invocation (InvocationType `Event`): Lambda
 * queues it and answers 202 at once, so the HTTP invocation can acknowledge Slack within 3 seconds.
 */
export function lambdaDispatch(
  client: () => Promise<LambdaClient>,
  functionArn: string,
): SlackInteractivityDeps["dispatch"] {
  return async (job: ApprovalJob) => {
    const [lambda, { InvokeCommand }] = await Promise.all([client(), loadLambda()]);
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: functionArn,
        InvocationType: "Event",
        Payload: new TextEncoder().encode(JSON.stringify(job)),
      }),
    );
    if (out.StatusCode !== 202)
      throw new Error(`asynchronous invocation answered ${out.StatusCode ?? "no status"}`);
  };
}

/**
 * The interactivity function: Slack's requests through the function URL, and the approval jobs
 * it sends itself. Anything else is logged and dropped (nothing invokes the function otherwise).
 */
export function slackInteractivityHandler(
  depsFor: (context: { invokedFunctionArn: string }) => Promise<SlackInteractivityDeps>,
  logger: VigilLogger,
) {
  return async (
    event: unknown,
    context: { invokedFunctionArn: string },
  ): Promise<LambdaFunctionURLResult | undefined> => {
    if (isFunctionUrlEvent(event)) return handleSlackRequest(event, await depsFor(context));
    const job = approvalJobSchema.safeParse(event);
    if (job.success) {
      await runApprovalJob(job.data, await depsFor(context));
      return undefined;
    }
    logger.error("unexpected invocation: neither a function URL request nor an approval job");
    return undefined;
  };
}
