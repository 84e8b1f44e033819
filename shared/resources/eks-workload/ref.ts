import type { ResourceRef } from "../../core/resource";
import { partitionOf } from "../account/ref";

export const EKS_WORKLOAD_TYPE = "AWS::EKS::Workload";

/** Where a Kubernetes object lives: the cluster (its audit log group) in one account and Region. */
export interface ClusterScope {
  cluster: string;
  account: string;
  region: string;
}

/** The cluster's ARN: Kubernetes objects have none of their own, so their refs carry the cluster's. */
export function eksClusterArn({ cluster, account, region }: ClusterScope): string {
  return `arn:${partitionOf(region)}:eks:${region}:${account}:cluster/${cluster}`;
}

/** One workload (`prod/payments/Deployment/api`): findings are per workload, not per pod. */
export function eksWorkloadRef(
  scope: ClusterScope,
  namespace: string,
  kind: string,
  name: string,
): ResourceRef {
  return {
    type: EKS_WORKLOAD_TYPE,
    id: `${scope.cluster}/${namespace}/${kind}/${name}`,
    arn: eksClusterArn(scope),
    account: scope.account,
    region: scope.region,
    name: `${kind} ${namespace}/${name} in cluster ${scope.cluster}`,
  };
}
