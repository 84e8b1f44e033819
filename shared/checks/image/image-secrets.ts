import type { SecretLeak } from "../../leaks/scan-env";
import { scanText, scanVariables, splitEnvEntry } from "../../leaks/scan-env";
import { isSecretName, nameWords } from "../../leaks/secret-names";
import { credentialKind, looksRandom, withArticle } from "../../leaks/secret-values";
import type { ImageConfig } from "../../registry/types";

const HASH_WORDS = new Set([
  "SHA1",
  "SHA224",
  "SHA256",
  "SHA384",
  "SHA512",
  "MD5",
  "CHECKSUM",
  "SHASUM",
  "SUM",
]);
const HEX_DIGEST = /^[0-9a-f]{32,128}$/i;

/**
 * A published checksum, not a secret: a name ending in a hash word holding a hex digest. Official
 * images verify downloads this way (nginx's `KEY_SHA512=…`, `PYTHON_SHA256=…`).
 */
function isChecksum(name: string, value: string): boolean {
  return HASH_WORDS.has(nameWords(name).at(-1) ?? "") && HEX_DIGEST.test(value);
}

/** Removes checksum values from a history line before it is scanned, so `KEY_SHA512=<hex>` is not a key. */
function withoutChecksums(text: string): string {
  return text.replace(
    /(^|[\s;&|])([A-Za-z_][A-Za-z0-9_]*)=("([0-9a-fA-F]+)"|'([0-9a-fA-F]+)'|([0-9a-fA-F]+)(?=$|[\s;&|]))/g,
    (whole, lead: string, name: string, _quoted, a?: string, b?: string, c?: string) =>
      isChecksum(name, a ?? b ?? c ?? "") ? `${lead}${name}=` : whole,
  );
}

/** A label counts when its value is credential-shaped, or random-looking under a secret-like key. */
function labelLeaks(labels: Record<string, string>, acceptedNames: readonly string[]): SecretLeak[] {
  return Object.entries(labels).flatMap(([name, value]) => {
    const kind = credentialKind(value);
    const reason = kind
      ? `the value is ${withArticle(kind)}`
      : isSecretName(name, acceptedNames) && looksRandom(value)
        ? "secret-like name with a random-looking value"
        : undefined;
    return reason ? [{ location: "label", name, reason, valueLength: value.length }] : [];
  });
}

/**
 * Secrets baked into an image configuration, described without their values: `ENV` entries,
 * labels, and the build history (`ENV`/`ARG` values and credentials in `RUN` lines stay there even
 * when a later layer unsets them). A history line repeating a flagged `ENV` is reported once.
 */
export function imageConfigLeaks(config: ImageConfig, acceptedNames: readonly string[]): SecretLeak[] {
  const options = { acceptedNames };
  const env = scanVariables(
    config.env.map(splitEnvEntry).filter(({ name, value }) => !isChecksum(name, value)),
    "environment",
    options,
  );
  const flaggedEnv = new Set(env.map((leak) => leak.name));
  const history = config.history.flatMap((entry, index) =>
    scanText(withoutChecksums(entry.createdBy), `history[${index}]`, options).filter(
      (leak) => !(leak.name && flaggedEnv.has(leak.name)),
    ),
  );
  return [...env, ...labelLeaks(config.labels, acceptedNames), ...history];
}
