import { defineResourceAdapter } from "../adapter";
import { fromConfigItem } from "./from-config";
import {
  fromModifyMetadataOptions,
  fromRunInstances,
  fromTerminateInstances,
  unknownCall,
} from "./from-cloudtrail";
import { describeInstance, liveInstanceState, tagsOf } from "./live";
import { INSTANCE_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: INSTANCE_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "RunInstances":
        return fromRunInstances(detail, account);
      case "ModifyInstanceMetadataOptions":
        return fromModifyMetadataOptions(detail, account);
      case "TerminateInstances":
        return fromTerminateInstances(detail, account);
      default:
        return unknownCall(detail.eventName);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    // A gone instance has no tags and nothing left to remediate.
    return tagsOf(await describeInstance(await clients.ec2(), observation.resource.id));
  },
  /**
   * A launch leaves settings to defaults the event doesn't show (metadata options from the AMI,
   * template or account; the public IPv4 address from the subnet): read the instance as it is now.
   * A gone or terminating instance has nothing to judge, and its findings resolve.
   */
  async refresh(observation, clients) {
    if (!observation.state) return observation;
    const state = await liveInstanceState(await clients.ec2(), observation.state);
    return { ...observation, state, complete: true, tagsKnown: state !== undefined, needsRefresh: false };
  },
});
