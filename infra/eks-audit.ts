import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as destinations from "aws-cdk-lib/aws-logs-destinations";
import { Construct } from "constructs";
import {
  EKS_AUDIT_FILTER_NAME,
  MAX_FILTER_PATTERN_CHARS,
  eksAuditFilterPattern,
  eksClusterLogGroupName,
} from "../shared/eks-audit/subscribe-filter";
import { RETRY_ATTEMPTS, type DetectionFunction } from "./detection-function";
import { acknowledgeWildcardResources } from "./nag";

// Shared with the subscriber function (shared/eks-audit/subscribe.ts), re-exported for the stack's tests.
export { EKS_AUDIT_FILTER_NAME, MAX_FILTER_PATTERN_CHARS, eksAuditFilterPattern, eksClusterLogGroupName };

/** A batch may hold hundreds of audit events, each a store read and maybe a write and an alert. */
export const EKS_AUDIT_TIMEOUT_SECONDS = 120;

export interface EksAuditSubscriptionsProps {
  /** The function that reads the audit events (functions/eks-audit.ts). */
  target: DetectionFunction;
  /** Cluster names from Vigil's `eks.clusters`. */
  clusters: readonly string[];
}

/**
 * One subscription filter per configured cluster's log group, sending the audit events of
 * interest to Vigil's function, and the Lambda permission for CloudWatch Logs with that log group
 * as SourceArn. EKS creates the log group when control plane logging is first enabled, so each
 * listed cluster must have audit logging on before the stack is deployed (else CloudFormation fails
 * with "log group does not exist"). Clusters that turn it on later are subscribed at that moment by
 * `EksAuditSubscriber` (config `eks.subscribeNewClusters`).
 */
export class EksAuditSubscriptions extends Construct {
  readonly filters: logs.SubscriptionFilter[];

  constructor(scope: Construct, id: string, props: EksAuditSubscriptionsProps) {
    super(scope, id);
    const cfnFunction = props.target.function.node.defaultChild as CfnFunction;
    cfnFunction.timeout = EKS_AUDIT_TIMEOUT_SECONDS;
    const pattern = eksAuditFilterPattern();
    if (pattern.length > MAX_FILTER_PATTERN_CHARS)
      throw new Error(
        `the EKS audit filter pattern is ${pattern.length} characters, over CloudWatch Logs' limit`,
      );
    this.filters = [...new Set(props.clusters)].map((cluster) => {
      const logGroup = logs.LogGroup.fromLogGroupName(
        this,
        `${cluster}LogGroup`,
        eksClusterLogGroupName(cluster),
      );
      return new logs.SubscriptionFilter(this, `${cluster}Subscription`, {
        logGroup,
        destination: new destinations.LambdaDestination(props.target.function),
        filterPattern: logs.FilterPattern.literal(pattern),
        filterName: EKS_AUDIT_FILTER_NAME,
      });
    });
  }
}

/** Lambda's limit; the handler waits for the log group a little less (SUBSCRIBE_WAIT_MS). */
export const EKS_AUDIT_SUBSCRIBER_TIMEOUT = Duration.minutes(10);
/** Three attempts of up to ten minutes, a minute or two apart: a new cluster's log group comes within that. */
export const EKS_AUDIT_SUBSCRIBER_MAX_EVENT_AGE = Duration.hours(1);

/**
 * CloudTrail calls that may turn a cluster's audit log on: CreateCluster or UpdateClusterConfig with
 * `audit` among the enabled types. EventBridge matches array elements' fields independently (a call
 * enabling `api` and disabling `audit` passes), so the function checks the entries exactly.
 */
export function auditLoggingEnabledPattern(): events.EventPattern {
  return {
    source: ["aws.eks"],
    detailType: ["AWS API Call via CloudTrail"],
    detail: {
      eventSource: ["eks.amazonaws.com"],
      eventName: ["CreateCluster", "UpdateClusterConfig"],
      errorCode: [{ exists: false }],
      requestParameters: { logging: { clusterLogging: { types: ["audit"], enabled: [true] } } },
    },
  };
}

export interface EksAuditSubscriberProps {
  /** functions/eks-audit-subscriber.ts */
  subscriber: DetectionFunction;
  /** The function that reads the audit events (functions/eks-audit.ts). */
  target: DetectionFunction;
}

/**
 * Subscribes clusters that turn audit logging on after deploy: a rule on the CloudTrail calls, the
 * subscriber function (`logs:PutSubscriptionFilter` on EKS control plane log groups only), and one
 * Lambda permission letting CloudWatch Logs invoke the audit function from any EKS log group of
 * this account and Region (a subscription is refused without it).
 */
export class EksAuditSubscriber extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: EksAuditSubscriberProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { subscriber, target } = props;
    subscriber.function.addEnvironment("EKS_AUDIT_FUNCTION_ARN", target.function.functionArn);
    const logGroups = (suffix: string) =>
      stack.formatArn({
        service: "logs",
        resource: "log-group",
        resourceName: `/aws/eks/*${suffix}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    // The control plane log groups only (`/aws/eks/<cluster>/cluster`), with and without the `:*`
    // CloudWatch Logs appends to log group ARNs in authorization.
    subscriber.allow(["logs:PutSubscriptionFilter"], [logGroups("/cluster"), logGroups("/cluster:*")]);
    acknowledgeWildcardResources(
      subscriber.role,
      [logGroups("/cluster"), logGroups("/cluster:*")],
      "The cluster names are not known at deploy time: the grant is limited to EKS control plane log groups " +
        "(/aws/eks/<cluster>/cluster) of this account and Region.",
    );
    target.function.addPermission("InvokeFromEksLogGroups", {
      principal: new iam.ServicePrincipal("logs.amazonaws.com"),
      action: "lambda:InvokeFunction",
      sourceArn: logGroups(""),
      sourceAccount: stack.account,
    });

    this.rule = new events.Rule(this, "Rule", {
      description: "Vigil: EKS clusters turning audit logging on, to subscribe their audit log",
      eventPattern: auditLoggingEnabledPattern(),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(subscriber.function, {
        deadLetterQueue: subscriber.deadLetterQueue,
        retryAttempts: RETRY_ATTEMPTS,
        maxEventAge: Duration.hours(2),
      }),
    );
  }
}
