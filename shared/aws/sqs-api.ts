/** The parts of the SQS SDK Vigil uses; only ever imported through `loadSqs()` (./sdk). */
export {
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  SendMessageBatchCommand,
  SQSClient,
  paginateListQueues,
} from "@aws-sdk/client-sqs";
