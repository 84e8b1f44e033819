import { createHash } from "node:crypto";
import { RegistryError } from "./errors";

/** OCI digests Vigil can verify. ECR uses sha256; sha512 is the other registered algorithm. */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** The digest of `bytes` under the algorithm `expected` names. */
function digestOf(bytes: Uint8Array, algorithm: "sha256" | "sha512" = "sha256"): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}

/** Content addressing is the only integrity a registry offers: what doesn't hash to its digest is not that content. */
export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  if (!isDigest(expected))
    throw new RegistryError(`${what}: "${expected}" is not a sha256/sha512 digest`, false);
  const algorithm = expected.startsWith("sha512:") ? "sha512" : "sha256";
  const actual = digestOf(bytes, algorithm);
  if (actual !== expected)
    throw new RegistryError(`${what}: content hashes to ${actual}, not to its digest ${expected}`, false);
}
