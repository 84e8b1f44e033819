import type { SQSClient } from "@aws-sdk/client-sqs";
import { errorName } from "../../aws/errors";
import { loadSqs } from "../../aws/sdk";
import { flagAttribute, keyAttribute } from "./encryption";
import type { SqsQueueState } from "./state";

/** The JSON protocol's name and the older query protocol's code for a queue that isn't there. */
const GONE = new Set(["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"]);

export function isQueueGone(error: unknown): boolean {
  return GONE.has(errorName(error));
}

/** The queue's encryption as SQS reports it now, or undefined when the queue is gone. */
export async function readQueueEncryption(
  sqs: SQSClient,
  known: SqsQueueState,
): Promise<SqsQueueState | undefined> {
  const { GetQueueAttributesCommand } = await loadSqs();
  try {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: known.queueUrl,
        AttributeNames: ["KmsMasterKeyId", "SqsManagedSseEnabled"],
      }),
    );
    const attributes = out.Attributes ?? {};
    const sqsManagedSse = flagAttribute(attributes.SqsManagedSseEnabled);
    const { queueUrl, queueArn, queueName } = known;
    return {
      queueUrl,
      queueArn,
      queueName,
      // SQS leaves the attribute out when the queue has no KMS key.
      kmsMasterKeyId: keyAttribute(attributes.KmsMasterKeyId) ?? null,
      ...(sqsManagedSse !== undefined ? { sqsManagedSse } : {}),
    };
  } catch (error) {
    if (isQueueGone(error)) return undefined;
    throw error;
  }
}

export async function readQueueTags(sqs: SQSClient, queueUrl: string): Promise<Record<string, string>> {
  const { ListQueueTagsCommand } = await loadSqs();
  try {
    return (await sqs.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }))).Tags ?? {};
  } catch (error) {
    if (isQueueGone(error)) return {};
    throw error;
  }
}
