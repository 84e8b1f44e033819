import { z } from "zod";
import { ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import type { Observation } from "../adapter";
import { encryptionFromConfig } from "./encryption";
import { parseBucketPolicy } from "./policy";
import { publicAccessBlockFromConfig } from "./public-access-block";
import { bucketRef } from "./ref";
import type { PendingRead, S3BucketState } from "./state";

/**
 * `supplementaryConfiguration` holds what the checks need: objects in change notifications, JSON
 * text in the history API (which oversized notifications are fetched from).
 */
const supplementarySchema = z.looseObject({
  ServerSideEncryptionConfiguration: z.unknown().optional(),
  PublicAccessBlockConfiguration: z.unknown().optional(),
  BucketPolicy: z.unknown().optional(),
});

const policyHolderSchema = z.looseObject({ policyText: z.string().nullable().optional() });

/** `BucketPolicy: { policyText }`: null text = no policy; undefined = unreadable. */
function policyFromConfig(value: unknown): S3BucketState["policy"] {
  let raw = value;
  if (typeof value === "string") {
    try {
      raw = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const holder = policyHolderSchema.safeParse(raw);
  if (!holder.success) return undefined;
  const text = holder.data.policyText;
  return text === null || text === undefined || text === "" ? null : parseBucketPolicy(text);
}

export function supplementaryOf(item: ConfigItem): z.infer<typeof supplementarySchema> | undefined {
  const parsed = supplementarySchema.safeParse((item as Record<string, unknown>).supplementaryConfiguration);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A Config item is the whole bucket: encryption, Block Public Access, policy and tags. An aspect
 * the item leaves out (or an oversized item fetched without it) is read live before the checks run,
 * so that a missing key never passes for "none".
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::S3::Bucket"> {
  const resource = bucketRef(item.resourceName ?? item.resourceId, item.awsAccountId, item.awsRegion);
  const base = { resource, observedAt: item.configurationItemCaptureTime, complete: true, tagsKnown: true };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) return { ...base, state: undefined };

  const supplementary = supplementaryOf(item) ?? {};
  const encryption = encryptionFromConfig(supplementary.ServerSideEncryptionConfiguration);
  const publicAccessBlock =
    "PublicAccessBlockConfiguration" in supplementary
      ? publicAccessBlockFromConfig(supplementary.PublicAccessBlockConfiguration)
      : undefined;
  const policy = "BucketPolicy" in supplementary ? policyFromConfig(supplementary.BucketPolicy) : undefined;
  const pendingReads: PendingRead[] = [
    ...(encryption === undefined || encryption === null ? (["encryption"] as const) : []),
    ...(publicAccessBlock === undefined ? (["public-access-block"] as const) : []),
    ...(policy === undefined ? (["policy"] as const) : []),
  ];
  return {
    ...base,
    state: {
      bucketName: resource.id,
      bucketArn: resource.arn,
      accountId: item.awsAccountId,
      ...(encryption ? { encryption } : {}),
      ...(publicAccessBlock !== undefined ? { publicAccessBlock } : {}),
      ...(policy !== undefined ? { policy } : {}),
      ...(pendingReads.length ? { pendingReads } : {}),
      tags: item.tags ?? {},
    },
    ...(pendingReads.length ? { needsRefresh: true } : {}),
  };
}
