import type { Finding, FindingStatus } from "./model";

/** Thrown when a conditional write loses a race (the stored version moved on). */
export class VersionConflictError extends Error {
  constructor(readonly findingId: string) {
    super(`finding ${findingId} was changed concurrently`);
    this.name = "VersionConflictError";
  }
}

export interface UpdateOutcome {
  before: Finding | undefined;
  after: Finding | undefined;
}

/**
 * The findings repository. Implementations must make `put` conditional on the version:
 * `expectedVersion` undefined means "must not exist yet"; a number means "stored version equals it".
 */
export interface FindingsStore {
  get(id: string): Promise<Finding | undefined>;
  getMany(ids: readonly string[]): Promise<Map<string, Finding>>;
  put(finding: Finding, expectedVersion: number | undefined): Promise<void>;
  list(filter?: { status?: FindingStatus }): Promise<Finding[]>;
}

/**
 * Read-modify-write with optimistic locking: `mutate` gets the current finding (or undefined)
 * and returns the next one, or undefined to leave it as is. Retries on conflicting writes.
 */
export async function updateFinding(
  store: FindingsStore,
  id: string,
  mutate: (current: Finding | undefined) => Finding | undefined,
  options: { maxAttempts?: number; current?: Finding | undefined; preloaded?: boolean } = {},
): Promise<UpdateOutcome> {
  const maxAttempts = options.maxAttempts ?? 8;
  let current = options.preloaded ? options.current : await store.get(id);
  for (let attempt = 1; ; attempt++) {
    const next = mutate(current);
    if (!next) return { before: current, after: current };
    const written: Finding = { ...next, version: (current?.version ?? 0) + 1 };
    try {
      await store.put(written, current?.version);
      return { before: current, after: written };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= maxAttempts) throw error;
      current = await store.get(id);
    }
  }
}
