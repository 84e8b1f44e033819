import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromAttachmentCall, fromDeleteVolume } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { describeVolume, stateFromVolume, tagsOf } from "./live";
import { VOLUME_TYPE } from "./ref";

/** The one read this adapter makes: DescribeVolumes (encryption, attachments and tags in one answer). */
export const volumeReadActions = ["ec2:DescribeVolumes"];

export default defineResourceAdapter({
  resourceType: VOLUME_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "AttachVolume":
      case "DetachVolume":
        return fromAttachmentCall(detail, account);
      case "DeleteVolume":
        return fromDeleteVolume(detail, account);
      default:
        throw new UnusableEventError(`no EBS volume reader for ${detail.eventName}`);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    const volume = await describeVolume(await clients.ec2(), observation.resource.id);
    return volume ? tagsOf(volume) : {};
  },
  /** The live volume is the truth: the attach/detach call says neither encryption nor other attachments. */
  async refresh(observation, clients) {
    const volumeId = observation.resource.id;
    const volume = await describeVolume(await clients.ec2(), volumeId);
    // Gone since the call: attached to nothing any more, so its findings resolve.
    if (!volume) return { ...observation, state: undefined, complete: true, needsRefresh: false };
    return {
      ...observation,
      state: stateFromVolume(volume, volumeId),
      complete: true,
      tagsKnown: true,
      needsRefresh: false,
    };
  },
});
