import { sqsQueueReadActions } from "../../resources/sqs-queue/adapter";
import { queueEncryption } from "../../resources/sqs-queue/encryption";
import { defineCheck } from "../define";
import { sqsQueueTriggers } from "./triggers";

/** Detect only: which key to use (SSE-SQS or a KMS key its consumers may use) is the owner's call. */
export default defineCheck({
  id: "SQS.1",
  title: "Amazon SQS queues should be encrypted at rest",
  severity: "MEDIUM",
  resourceType: "AWS::SQS::Queue",
  controls: ["FSBP SQS.1"],
  description:
    "The queue has neither SSE-SQS nor a KMS key, so its messages are stored unencrypted. Turn SSE-SQS on (SqsManagedSseEnabled=true) or set a KMS key its producers and consumers may use.",
  triggers: sqsQueueTriggers,
  iamActions: sqsQueueReadActions,
  undecided: (state) =>
    queueEncryption(state) === undefined ? "this event does not say how the queue is encrypted" : undefined,
  evaluate: (state) =>
    queueEncryption(state) === "none"
      ? [
          {
            summary: `SQS queue ${state.queueName} is not encrypted at rest (no SSE-SQS, no KMS key)`,
            evidence: { queueArn: state.queueArn, sqsManagedSseEnabled: false, kmsMasterKeyId: null },
          },
        ]
      : [],
});
