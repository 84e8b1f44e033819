/** The parts of the SNS SDK Vigil uses; only ever imported through `loadSns()` (./sdk). */
export {
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  PublishCommand,
  SNSClient,
  paginateListTopics,
} from "@aws-sdk/client-sns";
