import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { dbInstanceRef, rdsArn } from "./ref";
import type { RdsDbInstanceState } from "./state";

const text = z.string().nullable().optional();

/** Config's `AWS::RDS::DBInstance` configuration: DescribeDBInstances' answer in camelCase. */
const configInstanceSchema = z.looseObject({
  dBInstanceIdentifier: z.string().min(1).optional(),
  dBInstanceArn: text,
  dbiResourceId: text,
  engine: text,
  dBClusterIdentifier: text,
  storageEncrypted: z.boolean().nullable().optional(),
  kmsKeyId: text,
});

/** A Config item for a DB instance: the whole instance, tags included. Config's resource id is the DbiResourceId. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::RDS::DBInstance"> {
  const deleted = ITEM_STATUSES_DELETED.includes(item.configurationItemStatus);
  const parsed = deleted ? undefined : configInstanceSchema.safeParse(configurationOf(item));
  if (parsed && !parsed.success) {
    throw new UnusableEventError(
      `DB instance ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed?.data;
  const identifier = c?.dBInstanceIdentifier ?? item.resourceName ?? item.resourceId;
  const scope = { account: item.awsAccountId, region: item.awsRegion };
  const instance = {
    dbiResourceId: c?.dbiResourceId ?? item.resourceId,
    dbInstanceArn: c?.dBInstanceArn ?? item.ARN ?? rdsArn("db", identifier, scope),
    dbInstanceIdentifier: identifier,
  };
  const resource = dbInstanceRef(instance, scope);
  const base = {
    resource,
    complete: true,
    observedAt: item.configurationItemCaptureTime,
    tagsKnown: item.tags != null,
  };
  if (!c) return { ...base, state: undefined };
  const state: RdsDbInstanceState = {
    ...instance,
    ...(c.engine ? { engine: c.engine } : {}),
    ...(c.dBClusterIdentifier ? { dbClusterIdentifier: c.dBClusterIdentifier } : {}),
    ...(typeof c.storageEncrypted === "boolean" ? { storageEncrypted: c.storageEncrypted } : {}),
    ...(c.kmsKeyId ? { kmsKeyId: c.kmsKeyId } : {}),
    ...(item.tags ? { tags: item.tags } : {}),
  };
  return { ...base, state };
}
