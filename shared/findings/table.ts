/** The findings table's key schema, shared by the store and the CDK stack so they cannot drift. */
export const FINDINGS_TABLE_KEYS = {
  partitionKey: "id",
  /** GSI for `findings --status S`: partition by status, newest first by lastSeen. */
  statusIndex: { name: "byStatus", partitionKey: "status", sortKey: "lastSeen" },
} as const;
