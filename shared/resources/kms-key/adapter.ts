import { defineResourceAdapter, UnusableEventError } from "../adapter";
import {
  fromCancelKeyDeletion,
  fromCreateKey,
  fromRotationCall,
  fromScheduleKeyDeletion,
} from "./from-cloudtrail";
import { readKeyTags, readRotation } from "./live";
import { KEY_TYPE } from "./ref";

/** The reads this adapter makes: DescribeKey and GetKeyRotationStatus (refresh), ListResourceTags (exemptions). */
export const kmsKeyReadActions = ["kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags"];

export default defineResourceAdapter({
  resourceType: KEY_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "ScheduleKeyDeletion":
        return fromScheduleKeyDeletion(detail, account);
      case "CancelKeyDeletion":
        return fromCancelKeyDeletion(detail, account);
      case "DisableKeyRotation":
      case "EnableKeyRotation":
        return fromRotationCall(detail, account);
      case "CreateKey":
        return fromCreateKey(detail, account);
      default:
        throw new UnusableEventError(`no KMS key reader for ${detail.eventName}`);
    }
  },
  fromConfigItem() {
    // No check subscribes to Config items for keys: the key calls say what changed, in real time.
    throw new UnusableEventError("AWS::KMS::Key is not read from Config items");
  },
  async readTags(observation, clients) {
    return readKeyTags(await clients.kms(), observation.resource.arn);
  },
  /** Whether rotation applies to the key, and whether it is on now: the rotation calls don't say the kind of key. */
  async refresh(observation, clients) {
    if (!observation.state || observation.state.outOfScope) return { ...observation, needsRefresh: false };
    const state = await readRotation(await clients.kms(), observation.state);
    return { ...observation, state, needsRefresh: false };
  },
});
