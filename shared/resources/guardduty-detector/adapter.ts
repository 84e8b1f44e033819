import { defineResourceAdapter, UnusableEventError } from "../adapter";

/** Placeholder until this resource type's reader lands; no check is registered for it yet. */
export default defineResourceAdapter({
  resourceType: "AWS::GuardDuty::Detector",
  fromCloudTrail() {
    throw new UnusableEventError("AWS::GuardDuty::Detector is not read from CloudTrail yet");
  },
  fromConfigItem() {
    throw new UnusableEventError("AWS::GuardDuty::Detector is not read from Config yet");
  },
  async readTags() {
    return {};
  },
});
