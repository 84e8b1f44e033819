import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromDeleteDistribution, fromDistributionWrite } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { distributionTags, liveDistribution } from "./live";
import { DISTRIBUTION_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: DISTRIBUTION_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "CreateDistribution":
      case "CreateDistributionWithTags":
      case "UpdateDistribution":
      case "CopyDistribution":
      case "UpdateDistributionWithStagingConfig":
        return fromDistributionWrite(detail, account);
      case "DeleteDistribution":
        return fromDeleteDistribution(detail, account);
      default:
        throw new UnusableEventError(`no CloudFront distribution reader for ${detail.eventName}`);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    return distributionTags(await clients.cloudFront(), observation.resource.arn);
  },
  /** Reads the distribution's config when the event's could not be trusted whole. */
  async refresh(observation, clients) {
    const settings = await liveDistribution(await clients.cloudFront(), observation.resource.id);
    const state = settings && observation.state ? { ...observation.state, ...settings } : undefined;
    return { ...observation, state, complete: true, needsRefresh: false };
  },
});
