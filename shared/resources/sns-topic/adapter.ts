import { defineResourceAdapter } from "../adapter";
import { fromTopicCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { readTopicEncryption, readTopicTags } from "./live";
import { SNS_TOPIC_TYPE } from "./ref";

/** The reads this adapter makes (encryption confirmed live, tags): SNS.1 lists them as its iamActions. */
export const snsTopicReadActions = ["sns:GetTopicAttributes", "sns:ListTagsForResource"];

export default defineResourceAdapter({
  resourceType: SNS_TOPIC_TYPE,
  fromCloudTrail: (detail) => fromTopicCall(detail),
  fromConfigItem,
  async readTags(observation, clients) {
    return readTopicTags(await clients.sns(), observation.resource.arn);
  },
  /** The call left the key open: SNS's answer now is the truth (a topic that is gone resolves). */
  async refresh(observation, clients) {
    const known = observation.state;
    if (!known) return { ...observation, needsRefresh: false };
    const live = await readTopicEncryption(await clients.sns(), known);
    return { ...observation, state: live, needsRefresh: false };
  },
});
