import { eksAuditSubscriberHandler } from "../shared/eks-audit/subscribe-handler";

/** CloudTrail CreateCluster / UpdateClusterConfig turning audit logging on: subscribe the cluster's audit log. */
export const handler = eksAuditSubscriberHandler();
