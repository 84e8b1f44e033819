import { loadGuardDuty } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromDeleteDetector, fromUpdateDetector } from "./from-cloudtrail";
import { isDetectorGone } from "./gone";
import { DETECTOR_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: DETECTOR_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "UpdateDetector":
        return fromUpdateDetector(detail, account);
      case "DeleteDetector":
        return fromDeleteDetector(detail, account);
      default:
        throw new UnusableEventError(`no GuardDuty detector reader for ${detail.eventName}`);
    }
  },
  fromConfigItem() {
    // No check subscribes to Config items for detectors: CloudTrail calls say what changed, in real time.
    throw new UnusableEventError("AWS::GuardDuty::Detector is not read from Config items");
  },
  async readTags(observation, clients) {
    // A deleted detector has no tags left to read (config exemptions still apply).
    if (observation.state?.deleted) return {};
    try {
      const [guardDuty, { ListTagsForResourceCommand }] = await Promise.all([
        clients.guardDuty(),
        loadGuardDuty(),
      ]);
      const out = await guardDuty.send(
        new ListTagsForResourceCommand({ ResourceArn: observation.resource.arn }),
      );
      return { ...out.Tags };
    } catch (error) {
      // GuardDuty answers BadRequestException for a detector that no longer exists (and for other mistakes).
      if (isDetectorGone(error)) return {};
      throw error;
    }
  },
});
