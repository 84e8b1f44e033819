import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { approve } from "../shared/approvals/approve";
import { lambdaDispatch, slackInteractivityHandler } from "../shared/approvals/slack-handler";
import { postToResponseUrl, type SlackInteractivityDeps } from "../shared/approvals/slack-interactivity";
import { isSlackResponseUrl, parseSigningSecret } from "../shared/approvals/slack-payload";
import { standardClientConfig } from "../shared/aws/clients";
import { loadLambda, loadSecretsManager } from "../shared/aws/sdk";
import { configFromEnv } from "../shared/config/load";
import { lazy } from "../shared/core/lazy";
import { logger } from "../shared/log";
import { cachedSecret } from "../shared/notifiers/secret-value";
import { runtimeFromEnv } from "../shared/pipeline/environment";

/**
 * Slack interactivity (the Approve button), behind a function URL with auth type NONE: Slack can't
 * sign SigV4, so its request signature (SLACK_SIGNING_SECRET_ARN) is the authentication.
 */
const config = configFromEnv();
const runtime = lazy(() => runtimeFromEnv(config));
const lambda = lazy(async () => new (await loadLambda()).LambdaClient(standardClientConfig));
const signingSecret = lazy(async () => {
  const arn = process.env.SLACK_SIGNING_SECRET_ARN;
  if (!arn) throw new Error("SLACK_SIGNING_SECRET_ARN is not set");
  const client = new (await loadSecretsManager()).SecretsManagerClient(standardClientConfig);
  return cachedSecret(client, arn, { parse: parseSigningSecret, placeholder: "<signing secret>" });
});

async function depsFor(context: { invokedFunctionArn: string }): Promise<SlackInteractivityDeps> {
  // The function's own account and Region: the remediation role acts there only.
  const account = context.invokedFunctionArn.split(":")[4];
  const region = process.env.AWS_REGION;
  return {
    signingSecret: async () => (await signingSecret())(),
    approvers: config.approval.slackApprovers,
    dispatch: lambdaDispatch(lambda, context.invokedFunctionArn),
    approve: async (findingId, approver) =>
      approve(findingId, approver, (await runtime()).runtime, {
        ...(region ? { region } : {}),
        ...(account ? { account } : {}),
      }),
    respond: async (url, message) => {
      if (!isSlackResponseUrl(url)) throw new Error("response_url is not a Slack hooks URL; not posting");
      await postToResponseUrl(url, message);
    },
    now: () => new Date(),
    logger,
  };
}

export const handler = middy(slackInteractivityHandler(depsFor, logger)).use(
  injectLambdaContext(logger, { clearState: true }),
);
