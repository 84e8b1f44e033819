/**
 * What one event says about one RDS DB cluster (Aurora, Multi-AZ DB cluster, and the DocumentDB and
 * Neptune clusters RDS also manages). Encryption is fixed when the cluster is created.
 */
export interface RdsDbClusterState {
  dbClusterIdentifier: string;
  dbClusterArn: string;
  /** RDS's immutable id (`cluster-…`): what Config keys the cluster on, and so the finding's resource id. */
  dbClusterResourceId: string;
  engine?: string;
  /** Undefined when the source doesn't say. */
  storageEncrypted?: boolean;
  kmsKeyId?: string;
  tags?: Record<string, string>;
}
