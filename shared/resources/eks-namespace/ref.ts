import type { ResourceRef } from "../../core/resource";
import { eksClusterArn, type ClusterScope } from "../eks-workload/ref";

export const EKS_NAMESPACE_TYPE = "AWS::EKS::Namespace";

/** One namespace of one cluster (`prod/payments`). */
export function eksNamespaceRef(scope: ClusterScope, namespace: string): ResourceRef {
  return {
    type: EKS_NAMESPACE_TYPE,
    id: `${scope.cluster}/${namespace}`,
    arn: eksClusterArn(scope),
    account: scope.account,
    region: scope.region,
    name: `namespace ${namespace} in cluster ${scope.cluster}`,
  };
}
