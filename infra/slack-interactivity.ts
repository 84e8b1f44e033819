import { Annotations, CfnOutput, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { FunctionUrlAuthType, type FunctionUrl } from "aws-cdk-lib/aws-lambda";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { CheckDefinition } from "../shared/checks/define";
import type { VigilConfig } from "../shared/config/schema";
import type { Collector } from "../shared/sweep/collector";
import type { DetectionFunction } from "./detection-function";
import { acknowledge } from "./nag";
import { collectorReadActions } from "./permissions";

/**
 * Whether the stack serves Slack's Approve button: `notifications.slack.interactivity` (which also
 * puts the button in alerts). With no `approval.slackApprovers` it approves nothing (everyone who
 * clicks is told so); the synth warns.
 */
export function slackApprovalsEnabled(config: VigilConfig): boolean {
  return config.notifications.slack.interactivity;
}

/**
 * The approval function's place among the stack's routes: the checks that can remediate (their
 * reads, the remediation role) and the reads of the collectors that re-read those checks' resources
 * before acting (shared/approvals/current-state.ts). Nothing else.
 */
export function approvalRoute(
  fn: DetectionFunction,
  checks: readonly CheckDefinition[],
  collectors: readonly Collector[],
) {
  const remediable = checks.filter((check) => check.remediation);
  const types = new Set(remediable.map((check) => check.resourceType));
  return {
    fn,
    checks: remediable,
    reads: collectorReadActions(collectors.filter((collector) => types.has(collector.resourceType))),
  };
}

export interface SlackInteractivityProps {
  /**
   * The function serving Slack's interactivity requests (functions/slack-interactivity.ts), built like
   * the detection functions: it approves through the pipeline, so it reads, writes findings, alerts
   * and assumes the remediation role like they do (granted by the stack).
   */
  fn: DetectionFunction;
  /** `approval.slackApprovers`: only to warn when nobody could approve. */
  approvers: readonly string[];
}

/**
 * Slack's Approve button (config `approval.slackInteractivity`): a function URL for the Slack app's
 * interactivity Request URL and the app's signing secret, which is the URL's only authentication.
 */
export class SlackInteractivity extends Construct {
  readonly url: FunctionUrl;
  readonly signingSecret: secretsmanager.CfnSecret;

  constructor(scope: Construct, id: string, props: SlackInteractivityProps) {
    super(scope, id);
    const { fn } = props;

    // Created empty like the webhook secret: the value is set after deploy and never sits in a template.
    this.signingSecret = new secretsmanager.CfnSecret(this, "SigningSecret", {
      description: "Vigil: the Slack app's signing secret (set with put-secret-value after deploy)",
    });
    acknowledge(
      this.signingSecret,
      "SMG4",
      "The value is the Slack app's signing secret, which only Slack issues (regenerated in the app's settings); a rotation Lambda cannot create one.",
    );
    fn.function.addEnvironment("SLACK_SIGNING_SECRET_ARN", this.signingSecret.ref);
    fn.allow(["secretsmanager:GetSecretValue"], [this.signingSecret.ref]);

    // Auth type NONE: Slack can't sign requests with SigV4. Every request is authenticated by
    // Slack's signature over its body and timestamp (shared/approvals/slack-signature.ts) instead.
    this.url = fn.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    // The HTTP invocation hands the approval to an asynchronous invocation of the same function
    // (Slack wants an answer within 3 s). A policy of its own, not the role's default one: the
    // function depends on that, and naming the function's ARN there would be a dependency cycle.
    new iam.Policy(this, "InvokeSelf", {
      roles: [fn.role],
      statements: [
        new iam.PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [fn.function.functionArn] }),
      ],
    });

    const stack = Stack.of(this);
    if (!props.approvers.length)
      Annotations.of(this).addWarningV2(
        "vigil:slack-approvers",
        "notifications.slack.interactivity is on but approval.slackApprovers is empty: the Approve button approves nothing",
      );
    new CfnOutput(stack, "SlackInteractivityRequestUrl", {
      description: "Paste into the Slack app: Interactivity & Shortcuts > Request URL",
      value: this.url.url,
    });
    new CfnOutput(stack, "SetSlackSigningSecretCommand", {
      description: "Stores the Slack app's signing secret (Basic Information > App Credentials)",
      value: `aws secretsmanager put-secret-value --region ${stack.region} --secret-id ${this.signingSecret.ref} --secret-string <signing secret>`,
    });
  }
}
