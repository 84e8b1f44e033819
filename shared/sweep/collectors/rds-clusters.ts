import { loadRds } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { dbClusterRef, RDS_DB_CLUSTER_TYPE } from "../../resources/rds-db-cluster/ref";
import type { RdsDbClusterState } from "../../resources/rds-db-cluster/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeDBClusters takes 20 to 100 per page: the most, for the fewest calls. */
const PAGE_SIZE = 100;

/**
 * Every DB cluster of the Region (Aurora, Multi-AZ, and the DocumentDB and Neptune clusters RDS
 * lists too), with the fields a Config item gives and its tags (TagList is in the answer).
 */
export function rdsClustersCollector(pageSize = PAGE_SIZE): Collector<"AWS::RDS::DBCluster"> {
  return defineCollector({
    resourceType: RDS_DB_CLUSTER_TYPE,
    scope: "regional",
    iamActions: ["rds:DescribeDBClusters"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::RDS::DBCluster">> {
      const [rds, { paginateDescribeDBClusters }] = await Promise.all([ctx.clients.rds(), loadRds()]);
      const observedAt = ctx.now.toISOString();
      const scope = { account: ctx.account, region: ctx.region };
      for await (const page of paginateDescribeDBClusters({ client: rds, pageSize }, {})) {
        for (const db of page.DBClusters ?? []) {
          if (!db.DBClusterIdentifier || !db.DBClusterArn || !db.DbClusterResourceId) continue;
          const cluster = {
            dbClusterResourceId: db.DbClusterResourceId,
            dbClusterArn: db.DBClusterArn,
            dbClusterIdentifier: db.DBClusterIdentifier,
          };
          const tags = Object.fromEntries(
            (db.TagList ?? []).flatMap((t) => (t.Key !== undefined ? [[t.Key, t.Value ?? ""]] : [])),
          );
          const state: RdsDbClusterState = {
            ...cluster,
            ...(db.Engine ? { engine: db.Engine } : {}),
            ...(typeof db.StorageEncrypted === "boolean" ? { storageEncrypted: db.StorageEncrypted } : {}),
            ...(db.KmsKeyId ? { kmsKeyId: db.KmsKeyId } : {}),
            tags,
          };
          yield {
            resource: dbClusterRef(cluster, scope),
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

export default rdsClustersCollector();
