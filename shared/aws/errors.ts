/**
 * The SDK's error name (`ResourceNotFoundException`, `ImageNotFoundException`, …), or "" for
 * anything that is not an SDK error. Adapters branch on it to tell "gone" from "failed".
 */
export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === "string" ? name : "";
}
