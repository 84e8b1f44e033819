import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { acknowledge } from "./nag";

/**
 * The Slack webhook secret, created empty: CloudFormation creates a secret with no value when neither
 * SecretString nor GenerateSecretString is given, so the URL never appears in a template. The L2
 * `Secret` would generate a random value instead. The operator sets the URL after deploy (see the
 * stack output); until then the secret has no AWSCURRENT version.
 */
export function createSlackWebhookSecret(scope: Construct, id: string): secretsmanager.CfnSecret {
  const secret = new secretsmanager.CfnSecret(scope, id, {
    description: "Vigil: Slack incoming-webhook URL (set with put-secret-value after deploy)",
  });
  acknowledge(
    secret,
    "SMG4",
    "The value is a Slack incoming-webhook URL that only Slack can issue; a rotation Lambda cannot create a new one.",
  );
  return secret;
}

/**
 * The Slack bot token secret (bot mode, `notifications.slack.botToken`), created empty like the webhook
 * secret: the operator stores the `xoxb-…` token after deploy, so it never appears in a template.
 */
export function createSlackBotTokenSecret(scope: Construct, id: string): secretsmanager.CfnSecret {
  const secret = new secretsmanager.CfnSecret(scope, id, {
    description: "Vigil: Slack bot token (xoxb-..., chat:write) for posting and updating alerts",
  });
  acknowledge(
    secret,
    "SMG4",
    "The value is a Slack bot token that only Slack can issue (reinstalling the app); a rotation Lambda cannot create one.",
  );
  return secret;
}
