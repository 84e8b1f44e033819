import type { VigilConfig } from "../config/schema";
import type { VigilLogger } from "../log";
import type { Observation, ReadClients } from "../resources/adapter";
import type { ResourceType } from "../resources/states";

/** Where one collector runs: the account, Region and read-only clients of one sweep unit. */
export interface CollectContext {
  clients: ReadClients;
  account: string;
  /** The Region the clients address. */
  region: string;
  partition: string;
  config: VigilConfig;
  now: Date;
  logger: VigilLogger;
}

/**
 * Lists every resource of one type in one account and Region and yields, per resource, the same
 * state the event path builds for it, so the catalog's `evaluate` serves both paths unchanged.
 *
 * Rules for a collector:
 * - page with the SDK's paginators (`paginateX`), never a hand-written NextToken loop;
 * - yield `complete: true` observations only when the state is the resource's whole relevant
 *   state (a clean result then resolves open findings); `tagsKnown: true` when tags were read;
 * - a resource that vanishes between the list call and a per-resource read is skipped, not an
 *   error; any other error propagates (the sweep unit fails and is retried; nothing is resolved
 *   from a partial listing).
 */
export interface Collector<T extends ResourceType = ResourceType> {
  resourceType: T;
  /**
   * `global` types (IAM, CloudFront, the account's S3 settings, S3 buckets) are swept once per
   * account, from the home Region; `regional` ones in every swept Region.
   */
  scope: "regional" | "global";
  /** Every read-only IAM action `collect` makes: granted to the sweep function, nothing more. */
  iamActions: readonly string[];
  collect(ctx: CollectContext): AsyncIterable<Observation<T>>;
}

export function defineCollector<T extends ResourceType>(collector: Collector<T>): Collector<T> {
  return collector;
}
