import type { SqsQueueState } from "./state";

export type QueueEncryption = "SSE-KMS" | "SSE-SQS" | "none";

/**
 * How the queue is encrypted, or undefined when the state can't tell. Either setting on is enough;
 * a queue is unencrypted only when both are known to be off (no KMS key AND SSE-SQS explicitly
 * false): since SSE-SQS became the default for new queues, a missing flag proves nothing.
 */
export function queueEncryption(state: SqsQueueState): QueueEncryption | undefined {
  if (state.kmsMasterKeyId) return "SSE-KMS";
  if (state.sqsManagedSse === true) return "SSE-SQS";
  if (state.kmsMasterKeyId === null && state.sqsManagedSse === false) return "none";
  return undefined;
}

/** An attribute value as SQS reports it: the key, or null for the empty string (no key). */
export function keyAttribute(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value.trim() === "" ? null : value;
}

/** `SqsManagedSseEnabled` is the text "true"/"false" in requests, answers and Config items. */
export function flagAttribute(value: string | boolean | undefined): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === undefined) return undefined;
  const normalized = value.trim().toLowerCase();
  return normalized === "true" ? true : normalized === "false" ? false : undefined;
}
