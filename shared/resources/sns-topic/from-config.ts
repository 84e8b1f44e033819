import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { topicRef } from "./ref";
import type { SnsTopicState } from "./state";

/** Config's `AWS::SNS::Topic` configuration: the topic's attributes, PascalCase. */
const configTopicSchema = z.looseObject({
  TopicArn: z.string().nullable().optional(),
  KmsMasterKeyId: z.string().nullable().optional(),
});

/** A Config item for a topic: the whole topic, tags included. No `KmsMasterKeyId` means no key. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::SNS::Topic"> {
  const deleted = ITEM_STATUSES_DELETED.includes(item.configurationItemStatus);
  const parsed = deleted ? undefined : configTopicSchema.safeParse(configurationOf(item));
  if (parsed && !parsed.success) {
    throw new UnusableEventError(
      `SNS topic ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed?.data;
  const arn = c?.TopicArn ?? item.ARN ?? item.resourceId;
  const resource = topicRef(arn);
  if (!resource) throw new UnusableEventError(`SNS topic ${item.resourceId}: "${arn}" is not a topic ARN`);
  const base = {
    resource,
    complete: true,
    observedAt: item.configurationItemCaptureTime,
    tagsKnown: item.tags != null,
  };
  if (!c) return { ...base, state: undefined };
  const key = c.KmsMasterKeyId?.trim() ? c.KmsMasterKeyId : null;
  const state: SnsTopicState = {
    topicArn: resource.arn,
    topicName: resource.name ?? resource.id,
    kmsMasterKeyId: key,
    ...(item.tags ? { tags: item.tags } : {}),
  };
  return { ...base, state };
}
