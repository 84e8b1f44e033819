/** The parts of the SQS SDK Vigil uses; only ever imported through `loadSqs()` (./sdk). */
export {
  // `vigil redrive` (shared/cli/redrive.ts): DeleteMessage, ReceiveMessage, StartMessageMoveTask.
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  paginateListQueues,
} from "@aws-sdk/client-sqs";
