/**
 * What one event says about one RDS DB instance. Encryption is set when the instance is created and
 * can't be changed later, so the description a create (or restore) call returns stays true.
 */
export interface RdsDbInstanceState {
  dbInstanceIdentifier: string;
  dbInstanceArn: string;
  /** RDS's immutable id (`db-…`): what Config keys the instance on, and so the finding's resource id. */
  dbiResourceId: string;
  engine?: string;
  /**
   * The cluster the instance belongs to (Aurora, Multi-AZ DB cluster): its storage is the cluster's,
   * so RDS.27 judges it there and RDS.3 does not apply to the instance.
   */
  dbClusterIdentifier?: string;
  /** Undefined when the source doesn't say. */
  storageEncrypted?: boolean;
  kmsKeyId?: string;
  tags?: Record<string, string>;
}
