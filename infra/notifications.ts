import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { NotificationSettings } from "../shared/config/notifications";
import type { DetectionFunction } from "./detection-function";
import { createSlackBotTokenSecret } from "./slack-secret";

/** The SNS topics routes send to, besides the stack's own: sns:Publish is granted on exactly these. */
export function routeTopicArns(settings: NotificationSettings): string[] {
  return [...new Set(settings.routes.flatMap((route) => route.snsTopicArns))].sort();
}

/**
 * What alert routing needs in the stack (the `notifications` section): the bot token secret when bot
 * mode is on, and for each alerting function the environment and grants to use it and the route topics.
 */
export class AlertRouting extends Construct {
  readonly botTokenSecret?: secretsmanager.CfnSecret;
  readonly topicArns: string[];

  constructor(scope: Construct, id: string, props: { settings: NotificationSettings }) {
    super(scope, id);
    this.topicArns = routeTopicArns(props.settings);
    if (props.settings.slack.botToken) this.botTokenSecret = createSlackBotTokenSecret(this, "SlackBotToken");
  }

  /** Environment of the functions that send alerts. */
  get environment(): Record<string, string> {
    return this.botTokenSecret ? { SLACK_BOT_TOKEN_SECRET_ARN: this.botTokenSecret.ref } : {};
  }

  /**
   * Publish on the route topics and read the bot token. A topic encrypted with a customer key also
   * needs kms:GenerateDataKey and kms:Decrypt for this role in that key's policy (the key is not known here).
   */
  grant(fn: DetectionFunction): void {
    if (this.topicArns.length) fn.allow(["sns:Publish"], this.topicArns);
    if (this.botTokenSecret) fn.allow(["secretsmanager:GetSecretValue"], [this.botTokenSecret.ref]);
  }
}
