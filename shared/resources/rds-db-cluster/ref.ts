import type { ResourceRef } from "../../core/resource";
import { rdsArnScope } from "../rds-db-instance/ref";

export const RDS_DB_CLUSTER_TYPE = "AWS::RDS::DBCluster";

/** Findings key on the DbClusterResourceId (`cluster-…`), as Config does: it survives renames. */
export function dbClusterRef(
  cluster: { dbClusterResourceId: string; dbClusterArn: string; dbClusterIdentifier: string },
  fallback: { account: string; region: string },
): ResourceRef {
  const scope = rdsArnScope(cluster.dbClusterArn) ?? fallback;
  return {
    type: RDS_DB_CLUSTER_TYPE,
    id: cluster.dbClusterResourceId,
    arn: cluster.dbClusterArn,
    account: scope.account,
    region: scope.region,
    name: cluster.dbClusterIdentifier,
  };
}
