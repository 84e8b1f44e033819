import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { flagAttribute, keyAttribute } from "./encryption";
import { queueFromArn, queueFromUrl, queueRef, type QueueTarget } from "./ref";
import type { SqsQueueState } from "./state";

const text = z.string().nullable().optional();

/** Config's `AWS::SQS::Queue` configuration: the queue's attributes, PascalCase (CloudFormation style). */
const configQueueSchema = z.looseObject({
  QueueUrl: text,
  QueueArn: text,
  KmsMasterKeyId: text,
  SqsManagedSseEnabled: z.union([z.string(), z.boolean()]).nullable().optional(),
});

/** Config keys queues on their URL (CloudFormation's primary identifier); its ARN is in the item too. */
function targetOf(item: ConfigItem, c: z.infer<typeof configQueueSchema> | undefined): QueueTarget {
  const url = c?.QueueUrl ?? (item.resourceId.startsWith("https://") ? item.resourceId : undefined);
  const arn = c?.QueueArn ?? item.ARN;
  const found = (url && queueFromUrl(url, item.awsRegion)) || (arn && queueFromArn(arn));
  if (!found)
    throw new UnusableEventError(`SQS queue ${item.resourceId}: the item names no queue URL or ARN`);
  return found;
}

/**
 * A Config item for a queue: the whole queue, tags included. No `KmsMasterKeyId` means no KMS key;
 * a missing `SqsManagedSseEnabled` leaves SQS.1 undecided rather than guessing.
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::SQS::Queue"> {
  const deleted = ITEM_STATUSES_DELETED.includes(item.configurationItemStatus);
  const parsed = deleted ? undefined : configQueueSchema.safeParse(configurationOf(item));
  if (parsed && !parsed.success) {
    throw new UnusableEventError(
      `SQS queue ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed?.data;
  const queue = targetOf(item, c);
  const base = {
    resource: queueRef(queue),
    complete: true,
    observedAt: item.configurationItemCaptureTime,
    tagsKnown: item.tags != null,
  };
  if (!c) return { ...base, state: undefined };
  const sqsManagedSse = flagAttribute(c.SqsManagedSseEnabled ?? undefined);
  const state: SqsQueueState = {
    queueUrl: queue.queueUrl,
    queueArn: queue.queueArn,
    queueName: queue.queueName,
    kmsMasterKeyId: keyAttribute(c.KmsMasterKeyId ?? undefined) ?? null,
    ...(sqsManagedSse !== undefined ? { sqsManagedSse } : {}),
    ...(item.tags ? { tags: item.tags } : {}),
  };
  return { ...base, state };
}
