import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { distributionConfigSchema, settingsOf } from "./config-shape";
import { distributionRef, parseDistributionArn, partitionOf } from "./ref";

const configurationSchema = z.looseObject({
  id: z.string().min(1).optional(),
  arn: z.string().optional(),
  distributionConfig: distributionConfigSchema,
});

/** A Config item for a distribution (camelCase, like CloudTrail): the whole distribution, tags included. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::CloudFront::Distribution"> {
  const named = parseDistributionArn(item.ARN ?? "") ?? parseDistributionArn(item.resourceId);
  const id = named?.id ?? item.resourceId;
  const resource = distributionRef(
    id,
    named?.account ?? item.awsAccountId,
    named?.partition ?? partitionOf(item.awsRegion),
  );
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus))
    return { ...base, state: undefined, tagsKnown: false };

  const parsed = configurationSchema.safeParse(configurationOf(item));
  if (!parsed.success) {
    throw new UnusableEventError(
      `distribution ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const settings = settingsOf(parsed.data.distributionConfig);
  if (!settings) {
    throw new UnusableEventError(
      `distribution ${id}: the Config item lists fewer cache behaviors than it counts, or an unknown viewer protocol policy`,
    );
  }
  const tags = item.tags ?? undefined;
  return {
    ...base,
    state: { distributionId: id, distributionArn: resource.arn, ...settings, ...(tags ? { tags } : {}) },
    tagsKnown: tags !== undefined,
  };
}
