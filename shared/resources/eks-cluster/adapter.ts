import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromAddonCall } from "./from-addon";
import {
  fromAssociateEncryptionConfig,
  fromCreateCluster,
  fromDeleteCluster,
  fromUpdateClusterConfig,
  fromUpdateClusterVersion,
} from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { readClusterTags, refreshCluster } from "./live";
import { CLUSTER_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: CLUSTER_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "CreateCluster":
        return fromCreateCluster(detail, account);
      case "UpdateClusterConfig":
        return fromUpdateClusterConfig(detail, account);
      case "UpdateClusterVersion":
        return fromUpdateClusterVersion(detail, account);
      case "AssociateEncryptionConfig":
        return fromAssociateEncryptionConfig(detail, account);
      case "DeleteCluster":
        return fromDeleteCluster(detail, account);
      case "CreateAddon":
      case "UpdateAddon":
      case "DeleteAddon":
        return fromAddonCall(detail, account);
      default:
        throw new UnusableEventError(`no EKS cluster reader for ${detail.eventName}`);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    if (!observation.state) return {};
    return readClusterTags(await clients.eks(), observation.resource.arn);
  },
  async refresh(observation, clients) {
    return refreshCluster(observation, await clients.eks());
  },
});
