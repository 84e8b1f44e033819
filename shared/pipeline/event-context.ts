import type { Actor } from "../core/actor";

/** What one event's processing carries from resource to resource. */
export interface EventContext {
  eventId: string;
  eventTime: string;
  actor: Actor | undefined;
  /** Store writes, alerts or remediations that failed after retries: the event fails for a retry. */
  failures: string[];
}
