import { errorName } from "../../aws/errors";
import { loadCloudTrail } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromDeleteTrail, fromLoggingCall, fromUpdateTrail } from "./from-cloudtrail";
import { TRAIL_TYPE } from "./ref";

/**
 * A trail that is gone (or an ARN CloudTrail won't resolve here) has no tags to read. ListTags
 * answers ResourceNotFoundException for an ARN with no trail behind it; other calls TrailNotFoundException.
 */
const GONE = new Set([
  "TrailNotFoundException",
  "ResourceNotFoundException",
  "CloudTrailARNInvalidException",
]);

export default defineResourceAdapter({
  resourceType: TRAIL_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "StopLogging":
      case "StartLogging":
        return fromLoggingCall(detail, account);
      case "DeleteTrail":
        return fromDeleteTrail(detail, account);
      case "UpdateTrail":
        return fromUpdateTrail(detail, account);
      default:
        throw new UnusableEventError(`no CloudTrail trail reader for ${detail.eventName}`);
    }
  },
  fromConfigItem() {
    // No check subscribes to Config items for trails: CloudTrail calls say what changed, in real time.
    throw new UnusableEventError("AWS::CloudTrail::Trail is not read from Config items");
  },
  async readTags(observation, clients) {
    if (observation.state?.deleted) return {};
    try {
      const [cloudTrail, { ListTagsCommand }] = await Promise.all([clients.cloudTrail(), loadCloudTrail()]);
      const out = await cloudTrail.send(new ListTagsCommand({ ResourceIdList: [observation.resource.arn] }));
      const tags = out.ResourceTagList?.[0]?.TagsList ?? [];
      return Object.fromEntries(tags.filter((t) => t.Key !== undefined).map((t) => [t.Key, t.Value ?? ""]));
    } catch (error) {
      if (GONE.has(errorName(error))) return {};
      throw error;
    }
  },
});
