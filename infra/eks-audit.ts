import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import * as destinations from "aws-cdk-lib/aws-logs-destinations";
import { Construct } from "constructs";
import { WORKLOAD_RESOURCES } from "../shared/eks-audit/classify";
import type { DetectionFunction } from "./detection-function";

/** CloudWatch Logs' limit on a filter pattern's length. */
export const MAX_FILTER_PATTERN_CHARS = 1024;
export const EKS_AUDIT_FILTER_NAME = "vigil-eks-audit";
/** A batch may hold hundreds of audit events, each a store read and maybe a write and an alert. */
export const EKS_AUDIT_TIMEOUT_SECONDS = 120;

/** `/aws/eks/<cluster>/cluster`: where EKS writes a cluster's control plane logs, the audit stream among them. */
export function eksClusterLogGroupName(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

/**
 * Only the audit events the function acts on leave CloudWatch Logs: completed, successful writes
 * (and deletes) of workloads, NetworkPolicies and namespaces, without subresources but
 * `pods/ephemeralcontainers`. Other log streams (API server, authenticator, ...) are not JSON
 * audit events and never match. The function checks every condition again: the filter only
 * saves invocations.
 */
export function eksAuditFilterPattern(): string {
  const resources = [...Object.keys(WORKLOAD_RESOURCES), "networkpolicies", "namespaces"];
  const anyOf = (field: string, values: string[]) =>
    `(${values.map((v) => `${field} = "${v}"`).join(" || ")})`;
  return (
    `{ ($.stage = "ResponseComplete") && ($.responseStatus.code < 400) && ` +
    `${anyOf("$.verb", ["create", "update", "patch", "delete"])} && ` +
    `${anyOf("$.objectRef.resource", resources)} && ` +
    `(($.objectRef.subresource NOT EXISTS) || ($.objectRef.subresource = "ephemeralcontainers")) }`
  );
}

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
 * cluster must have audit logging on before the stack is deployed (else CloudFormation fails with
 * "log group does not exist"); a cluster that turns it on later (`UpdateClusterConfig`) is added by
 * listing it and deploying again. Doing that by itself would take a rule on `UpdateClusterConfig`
 * (and `CreateCluster`) with audit logging enabled, calling `logs:PutSubscriptionFilter` on
 * `/aws/eks/<name>/cluster` with retries until EKS has created the group (e.g. a Step Functions
 * SDK task: no CloudWatch Logs client is among Vigil's dependencies), plus one Lambda permission
 * for `log-group:/aws/eks/*` — not built yet.
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
