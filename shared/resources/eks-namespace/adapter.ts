import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { EKS_NAMESPACE_TYPE } from "./ref";

/** Namespaces come from the EKS audit log (shared/eks-audit), never from EventBridge. */
export default defineResourceAdapter({
  resourceType: EKS_NAMESPACE_TYPE,
  fromCloudTrail(detail) {
    throw new UnusableEventError(`${detail.eventName}: EKS namespaces are read from the cluster's audit log`);
  },
  fromConfigItem() {
    throw new UnusableEventError(`${EKS_NAMESPACE_TYPE} is not a Config resource type`);
  },
  async readTags() {
    // Observations say tagsKnown: Kubernetes objects carry no AWS tags.
    return {};
  },
});
