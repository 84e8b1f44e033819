import type { ConfigServiceClient, ResourceType as ConfigResourceType } from "@aws-sdk/client-config-service";
import { loadConfigService } from "../aws/sdk";
import { configItemSchema, type ConfigItem, type ConfigItemSummary } from "../events/config-item";
import { UnusableEventError } from "../resources/adapter";

/**
 * An oversized notification carries only a summary; the item itself comes from the history API
 * (newest first, one item). Its `configuration` is a JSON string, which adapters accept.
 */
export async function fetchOversizedItem(
  client: ConfigServiceClient,
  summary: ConfigItemSummary,
): Promise<ConfigItem> {
  const { GetResourceConfigHistoryCommand } = await loadConfigService();
  const out = await client.send(
    new GetResourceConfigHistoryCommand({
      resourceType: summary.resourceType as ConfigResourceType,
      resourceId: summary.resourceId,
      limit: 1,
    }),
  );
  const item = out.configurationItems?.[0];
  if (!item)
    throw new UnusableEventError(`Config has no history for ${summary.resourceType} ${summary.resourceId}`);
  const parsed = configItemSchema.safeParse({
    configurationItemStatus: item.configurationItemStatus ?? summary.configurationItemStatus ?? "OK",
    resourceType: item.resourceType ?? summary.resourceType,
    resourceId: item.resourceId ?? summary.resourceId,
    resourceName: item.resourceName ?? summary.resourceName ?? null,
    ARN: item.arn ?? summary.ARN ?? null,
    awsRegion: item.awsRegion ?? summary.awsRegion,
    awsAccountId: item.accountId ?? summary.awsAccountId,
    configurationItemCaptureTime:
      item.configurationItemCaptureTime?.toISOString() ?? summary.configurationItemCaptureTime,
    configuration: item.configuration,
    // JSON strings per key in history (objects in notifications); adapters that use it accept both.
    ...(item.supplementaryConfiguration
      ? { supplementaryConfiguration: item.supplementaryConfiguration }
      : {}),
    tags: item.tags ?? null,
  });
  if (!parsed.success)
    throw new UnusableEventError(`Config history item for ${summary.resourceId} is unreadable`);
  return parsed.data;
}
