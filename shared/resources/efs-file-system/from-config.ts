import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { fileSystemRef } from "./ref";
import type { EfsFileSystemState } from "./state";

const text = z.string().nullable().optional();

/** Config's `AWS::EFS::FileSystem` configuration: PascalCase, CloudFormation style. */
const configFileSystemSchema = z.looseObject({
  FileSystemId: text,
  Arn: text,
  Encrypted: z.boolean().nullable().optional(),
  KmsKeyId: text,
});

/** A Config item for a file system: the whole file system, tags included. A missing `Encrypted` stays unknown. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::EFS::FileSystem"> {
  const deleted = ITEM_STATUSES_DELETED.includes(item.configurationItemStatus);
  const parsed = deleted ? undefined : configFileSystemSchema.safeParse(configurationOf(item));
  if (parsed && !parsed.success) {
    throw new UnusableEventError(
      `EFS file system ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed?.data;
  const fileSystemId = c?.FileSystemId ?? item.resourceId;
  const scope = { account: item.awsAccountId, region: item.awsRegion };
  const resource = fileSystemRef(fileSystemId, scope, c?.Arn ?? item.ARN ?? undefined);
  const base = {
    resource,
    complete: true,
    observedAt: item.configurationItemCaptureTime,
    tagsKnown: item.tags != null,
  };
  if (!c) return { ...base, state: undefined };
  const state: EfsFileSystemState = {
    fileSystemId,
    fileSystemArn: resource.arn,
    ...(typeof c.Encrypted === "boolean" ? { encrypted: c.Encrypted } : {}),
    ...(c.KmsKeyId ? { kmsKeyId: c.KmsKeyId } : {}),
    ...(item.tags ? { tags: item.tags } : {}),
  };
  return { ...base, state };
}
