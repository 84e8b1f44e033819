import { defineResourceAdapter } from "../adapter";
import { fromQueueCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { readQueueEncryption, readQueueTags } from "./live";
import { SQS_QUEUE_TYPE } from "./ref";

/** The reads this adapter makes (encryption confirmed live, tags): SQS.1 lists them as its iamActions. */
export const sqsQueueReadActions = ["sqs:GetQueueAttributes", "sqs:ListQueueTags"];

export default defineResourceAdapter({
  resourceType: SQS_QUEUE_TYPE,
  fromCloudTrail: (detail) => fromQueueCall(detail),
  fromConfigItem,
  async readTags(observation, clients) {
    if (!observation.state) return {};
    return readQueueTags(await clients.sqs(), observation.state.queueUrl);
  },
  /** The call left encryption open: SQS's answer now is the truth (a queue that is gone resolves). */
  async refresh(observation, clients) {
    const known = observation.state;
    if (!known) return { ...observation, needsRefresh: false };
    const live = await readQueueEncryption(await clients.sqs(), known);
    return { ...observation, state: live, needsRefresh: false };
  },
});
