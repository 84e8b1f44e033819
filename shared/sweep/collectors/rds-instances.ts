import { loadRds } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { dbInstanceRef, RDS_DB_INSTANCE_TYPE } from "../../resources/rds-db-instance/ref";
import type { RdsDbInstanceState } from "../../resources/rds-db-instance/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeDBInstances takes 20 to 100 per page: the most, for the fewest calls. */
const PAGE_SIZE = 100;

/**
 * Every DB instance of the Region, with the fields a Config item gives (engine, cluster, storage
 * encryption, key) and its tags (TagList is in the answer): the whole instance, as Config has it.
 */
export function rdsInstancesCollector(pageSize = PAGE_SIZE): Collector<"AWS::RDS::DBInstance"> {
  return defineCollector({
    resourceType: RDS_DB_INSTANCE_TYPE,
    scope: "regional",
    iamActions: ["rds:DescribeDBInstances"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::RDS::DBInstance">> {
      const [rds, { paginateDescribeDBInstances }] = await Promise.all([ctx.clients.rds(), loadRds()]);
      const observedAt = ctx.now.toISOString();
      const scope = { account: ctx.account, region: ctx.region };
      for await (const page of paginateDescribeDBInstances({ client: rds, pageSize }, {})) {
        for (const db of page.DBInstances ?? []) {
          if (!db.DBInstanceIdentifier || !db.DBInstanceArn || !db.DbiResourceId) continue;
          const instance = {
            dbiResourceId: db.DbiResourceId,
            dbInstanceArn: db.DBInstanceArn,
            dbInstanceIdentifier: db.DBInstanceIdentifier,
          };
          const tags = Object.fromEntries(
            (db.TagList ?? []).flatMap((t) => (t.Key !== undefined ? [[t.Key, t.Value ?? ""]] : [])),
          );
          const state: RdsDbInstanceState = {
            ...instance,
            ...(db.Engine ? { engine: db.Engine } : {}),
            ...(db.DBClusterIdentifier ? { dbClusterIdentifier: db.DBClusterIdentifier } : {}),
            ...(typeof db.StorageEncrypted === "boolean" ? { storageEncrypted: db.StorageEncrypted } : {}),
            ...(db.KmsKeyId ? { kmsKeyId: db.KmsKeyId } : {}),
            tags,
          };
          yield {
            resource: dbInstanceRef(instance, scope),
            state,
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default rdsInstancesCollector();
