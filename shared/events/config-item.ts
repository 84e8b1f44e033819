import { z } from "zod";

export const ITEM_STATUSES_DELETED = ["ResourceDeleted", "ResourceDeletedNotRecorded"];

/** A configuration item as Config puts it in change notifications (and, with a JSON-string configuration, in history). */
export const configItemSchema = z.looseObject({
  configurationItemStatus: z.string(),
  resourceType: z.string().min(1),
  resourceId: z.string().min(1),
  resourceName: z.string().nullable().optional(),
  ARN: z.string().nullable().optional(),
  awsRegion: z.string().min(1),
  awsAccountId: z.string().min(1),
  configurationItemCaptureTime: z.string().min(1),
  configuration: z.unknown().optional(),
  tags: z.record(z.string(), z.string()).nullable().optional(),
  relatedEvents: z.array(z.string()).nullable().optional(),
});
export type ConfigItem = z.infer<typeof configItemSchema>;

const summarySchema = z.looseObject({
  resourceType: z.string().min(1),
  resourceId: z.string().min(1),
  awsRegion: z.string().min(1),
  awsAccountId: z.string().min(1),
  configurationItemCaptureTime: z.string().min(1),
  configurationItemStatus: z.string().optional(),
  ARN: z.string().nullable().optional(),
  resourceName: z.string().nullable().optional(),
});
export type ConfigItemSummary = z.infer<typeof summarySchema>;

export const configChangeDetailSchema = z.discriminatedUnion("messageType", [
  z.looseObject({
    messageType: z.literal("ConfigurationItemChangeNotification"),
    configurationItem: configItemSchema,
    notificationCreationTime: z.string().optional(),
  }),
  /** Too big for the notification: only a summary; the item must be fetched. */
  z.looseObject({
    messageType: z.literal("OversizedConfigurationItemChangeNotification"),
    configurationItemSummary: summarySchema,
    notificationCreationTime: z.string().optional(),
  }),
]);
export type ConfigChangeDetail = z.infer<typeof configChangeDetailSchema>;

/**
 * The item's `configuration` as an object: change notifications carry it as JSON, the history API
 * (oversized items) as a JSON string. Unparseable text comes back undefined for the caller's schema
 * to reject with its own message.
 */
export function configurationOf(item: ConfigItem): unknown {
  if (typeof item.configuration !== "string") return item.configuration;
  try {
    return JSON.parse(item.configuration);
  } catch {
    return undefined;
  }
}
