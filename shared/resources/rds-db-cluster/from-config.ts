import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { rdsArn } from "../rds-db-instance/ref";
import { dbClusterRef } from "./ref";
import type { RdsDbClusterState } from "./state";

const text = z.string().nullable().optional();

/**
 * Config's `AWS::RDS::DBCluster` configuration. Config spells some members its own way
 * (`dbclusterIdentifier`, `dbclusterArn`); the API's camelCase (`dBClusterIdentifier`) is read too.
 */
const configClusterSchema = z.looseObject({
  dbclusterIdentifier: text,
  dBClusterIdentifier: text,
  dbclusterArn: text,
  dBClusterArn: text,
  dbClusterResourceId: text,
  engine: text,
  storageEncrypted: z.boolean().nullable().optional(),
  kmsKeyId: text,
});

/** A Config item for a DB cluster: the whole cluster, tags included. Config's resource id is the DbClusterResourceId. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::RDS::DBCluster"> {
  const deleted = ITEM_STATUSES_DELETED.includes(item.configurationItemStatus);
  const parsed = deleted ? undefined : configClusterSchema.safeParse(configurationOf(item));
  if (parsed && !parsed.success) {
    throw new UnusableEventError(
      `DB cluster ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed?.data;
  const scope = { account: item.awsAccountId, region: item.awsRegion };
  const identifier = c?.dbclusterIdentifier ?? c?.dBClusterIdentifier ?? item.resourceName ?? item.resourceId;
  const cluster = {
    dbClusterResourceId: c?.dbClusterResourceId ?? item.resourceId,
    dbClusterArn: c?.dbclusterArn ?? c?.dBClusterArn ?? item.ARN ?? rdsArn("cluster", identifier, scope),
    dbClusterIdentifier: identifier,
  };
  const base = {
    resource: dbClusterRef(cluster, scope),
    complete: true,
    observedAt: item.configurationItemCaptureTime,
    tagsKnown: item.tags != null,
  };
  if (!c) return { ...base, state: undefined };
  const state: RdsDbClusterState = {
    ...cluster,
    ...(c.engine ? { engine: c.engine } : {}),
    ...(typeof c.storageEncrypted === "boolean" ? { storageEncrypted: c.storageEncrypted } : {}),
    ...(c.kmsKeyId ? { kmsKeyId: c.kmsKeyId } : {}),
    ...(item.tags ? { tags: item.tags } : {}),
  };
  return { ...base, state };
}
