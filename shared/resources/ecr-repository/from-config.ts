import { z } from "zod";
import { ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { flagSchema } from "./event-parsing";
import { needsKeyLookup } from "./kms-key";
import { parseRepositoryPolicy } from "./policy";
import { parseRepositoryArn, repositoryRef } from "./ref";
import type { EcrRepositoryState } from "./state";

const text = z.string().nullable().optional();

/** Config's `AWS::ECR::Repository` configuration: PascalCase, CloudFormation-style. */
const configRepositorySchema = z.looseObject({
  RepositoryName: z.string().optional(),
  Arn: text,
  ImageTagMutability: text,
  ImageTagMutabilityExclusionFilters: z
    .array(
      z.looseObject({
        ImageTagMutabilityExclusionFilterType: text,
        ImageTagMutabilityExclusionFilterValue: z.string(),
      }),
    )
    .nullable()
    .optional(),
  ImageScanningConfiguration: z
    .looseObject({ ScanOnPush: flagSchema.nullable().optional() })
    .nullable()
    .optional(),
  EncryptionConfiguration: z.looseObject({ EncryptionType: z.string(), KmsKey: text }).nullable().optional(),
  LifecyclePolicy: z.looseObject({ LifecyclePolicyText: text, RegistryId: text }).nullable().optional(),
  // A JSON object in notifications (CloudFormation's `Json` type); tolerate the text form too.
  RepositoryPolicyText: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .nullable()
    .optional(),
  Tags: z
    .array(z.looseObject({ Key: z.string(), Value: text }))
    .nullable()
    .optional(),
});

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * A Config item for a repository: the whole repository, tags included. Absent settings are not
 * guessed (no ImageScanningConfiguration = scan-on-push not known); an absent `LifecyclePolicy` or
 * `RepositoryPolicyText` is how Config says there is none.
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::ECR::Repository"> {
  const fromArn = parseRepositoryArn(item.ARN);
  const registryId = fromArn?.registryId ?? item.awsAccountId;
  const repositoryName = item.resourceName ?? fromArn?.repositoryName ?? item.resourceId;
  const resource = repositoryRef(item.resourceId, registryId, item.awsRegion, item.ARN ?? undefined);
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: true };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) return { ...base, state: undefined };

  // History API items carry the configuration as a JSON string.
  const raw = typeof item.configuration === "string" ? safeJson(item.configuration) : item.configuration;
  const parsed = configRepositorySchema.safeParse(raw);
  if (!parsed.success) {
    throw new UnusableEventError(
      `ECR repository ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed.data;
  // The item's `tags` and the configuration's `Tags` list say the same; either may be missing or empty.
  const tags = { ...Object.fromEntries((c.Tags ?? []).map((t) => [t.Key, t.Value ?? ""])), ...item.tags };
  const scanOnPush = c.ImageScanningConfiguration?.ScanOnPush ?? undefined;
  const policy = parseRepositoryPolicy(c.RepositoryPolicyText);
  const lifecycle = c.LifecyclePolicy;
  const state: EcrRepositoryState = {
    repositoryName: c.RepositoryName ?? repositoryName,
    registryId,
    repositoryArn: c.Arn ?? resource.arn,
    tags,
    ...(scanOnPush !== undefined ? { scanOnPush } : {}),
    ...(c.ImageTagMutability
      ? {
          tagMutability: {
            setting: c.ImageTagMutability,
            exclusionFilters: (c.ImageTagMutabilityExclusionFilters ?? []).map(
              (f) => f.ImageTagMutabilityExclusionFilterValue,
            ),
          },
        }
      : {}),
    ...(c.EncryptionConfiguration
      ? {
          encryption: {
            type: c.EncryptionConfiguration.EncryptionType,
            ...(c.EncryptionConfiguration.KmsKey ? { kmsKey: c.EncryptionConfiguration.KmsKey } : {}),
          },
        }
      : {}),
    // Config's schema indexes only `LifecyclePolicy.RegistryId`: the object being there is what counts.
    hasLifecyclePolicy: Boolean(lifecycle && (lifecycle.LifecyclePolicyText || lifecycle.RegistryId)),
    ...(policy ? { policy } : {}),
  };
  // An unreadable policy is read live; scan-on-push off is confirmed against the registry's rules.
  const pendingRead = !policy ? "whole-repository" : scanOnPush === false ? "registry-scanning" : undefined;
  // Config names the key by ARN, AWS managed or not: only DescribeKey can tell them apart (ECR.5).
  const needsRefresh = pendingRead !== undefined || needsKeyLookup(state.encryption);
  return {
    ...base,
    state: pendingRead ? { ...state, pendingRead } : state,
    ...(needsRefresh ? { needsRefresh: true } : {}),
  };
}
