import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { EKS_WORKLOAD_TYPE } from "./ref";

/**
 * Workloads come from the EKS audit log (shared/eks-audit builds their observations), never from
 * EventBridge: no CloudTrail call or Config item describes what runs inside a cluster.
 */
export default defineResourceAdapter({
  resourceType: EKS_WORKLOAD_TYPE,
  fromCloudTrail(detail) {
    throw new UnusableEventError(`${detail.eventName}: EKS workloads are read from the cluster's audit log`);
  },
  fromConfigItem() {
    throw new UnusableEventError(`${EKS_WORKLOAD_TYPE} is not a Config resource type`);
  },
  async readTags() {
    // Observations say tagsKnown: Kubernetes objects carry no AWS tags.
    return {};
  },
});
