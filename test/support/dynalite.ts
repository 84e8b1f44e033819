import { startLocalDynamo, type LocalDynamo } from "../../shared/findings/local-dynamo";

/**
 * A fresh in-memory dynalite with the findings table, for integration tests:
 * `const local = await withLocalStore(); … local.store …; await local.close();`
 * Each call gets its own server and data, so test files can run in parallel.
 */
export function withLocalStore(options: { tableName?: string } = {}): Promise<LocalDynamo> {
  return startLocalDynamo({ inMemory: true, ...options });
}
