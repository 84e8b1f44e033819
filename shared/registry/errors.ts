/**
 * A registry read that failed in a way the caller must report, never one that crashes it.
 * `transient` = a later retry may succeed (network, 5xx, throttling); otherwise the content itself
 * is wrong or missing (malformed manifest, digest mismatch, blob over the size cap, 404).
 *
 * Messages name digests, hosts and sizes only: never a presigned URL (it carries credentials).
 */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}
