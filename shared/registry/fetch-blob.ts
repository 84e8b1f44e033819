import { verifyDigest } from "./digest";
import { RegistryError } from "./errors";

export interface BlobLimits {
  /** Largest blob accepted; reading stops as soon as more arrives. */
  maxBytes: number;
  timeoutMs: number;
}

/** Image configs are a few KiB (history included); 4 MiB leaves room without letting a blob exhaust memory. */
export const DEFAULT_BLOB_LIMITS: BlobLimits = { maxBytes: 4 * 1024 * 1024, timeoutMs: 10_000 };

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The URL's host only: presigned URLs carry credentials in their query and must never be logged. */
function hostOf(url: URL): string {
  return url.host;
}

function parseUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RegistryError(`${what}: the registry returned a download URL that does not parse`, false);
  }
  // ECR hands out HTTPS URLs; plain HTTP is accepted only on the loopback interface (local registries, tests).
  const loopbackHttp = url.protocol === "http:" && LOOPBACK.has(url.hostname);
  if (url.protocol !== "https:" && !loopbackHttp)
    throw new RegistryError(
      `${what}: refusing a non-HTTPS download URL (${url.protocol}//${hostOf(url)})`,
      false,
    );
  return url;
}

async function readCapped(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new RegistryError(`${what}: ${declared} bytes, over the ${maxBytes}-byte limit`, false);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Stop reading (and tell the server) the moment the cap is passed: a blob never fills memory.
    if (total > maxBytes) {
      await reader.cancel();
      throw new RegistryError(`${what}: more than ${maxBytes} bytes, over the limit`, false);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * GETs a blob from a (presigned) download URL, streamed under a size cap, and verifies it hashes to
 * `digest`. Every failure is a RegistryError; network trouble, 429 and 5xx are transient.
 */
export async function fetchBlob(
  rawUrl: string,
  digest: string,
  what: string,
  limits: BlobLimits = DEFAULT_BLOB_LIMITS,
): Promise<Uint8Array> {
  const url = parseUrl(rawUrl, what);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? "timed out" : "could not be reached";
    throw new RegistryError(`${what}: ${hostOf(url)} ${reason}`, true);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const transient = response.status === 429 || response.status >= 500;
    const missing = response.status === 404 ? " (blob not found)" : "";
    throw new RegistryError(`${what}: ${hostOf(url)} answered HTTP ${response.status}${missing}`, transient);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(response, limits.maxBytes, what);
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    throw new RegistryError(`${what}: the download from ${hostOf(url)} broke off`, true);
  }
  verifyDigest(bytes, digest, what);
  return bytes;
}
