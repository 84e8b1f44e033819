/**
 * Environment-variable names that announce a secret. Dockle (CIS-DI-0010) matches the words
 * PASS, PASSWD, PASSWORD, SECRET, KEY, ACCESS and TOKEN as substrings, which also flags `MONKEY`,
 * `KEYBOARD` or `ACCESS_LOG`. Vigil matches them as words of the name (split on `_`, `-`, `.` and
 * camelCase), plus the compounds people write without separators (`APIKEY`, `DBPASSWORD`).
 *
 * `ACCESS` on its own is not a secret word (`ACCESS_LEVEL`, `PUBLIC_ACCESS`): the secrets it is
 * part of (`ACCESS_KEY`, `ACCESS_TOKEN`, `ACCESSKEY`) are caught by their other word.
 */
const SECRET_WORDS = new Set(["PASS", "PASSWD", "PASSWORD", "PASSPHRASE", "PWD", "SECRET", "KEY", "TOKEN"]);
const SECRET_COMPOUND =
  /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|APIKEY|PRIVATEKEY|ACCESSKEY|AUTHKEY|SECRETKEY|CREDENTIALS?)$/;

/** Names that contain a secret word but are known not to hold secrets. */
const ALWAYS_ACCEPTED = new Set(["GPG_KEY", "GPG_KEYS", "PWD", "OLDPWD"]);

/**
 * Words that, right before `KEY`, make it a lookup key or a public key rather than key material:
 * `PARTITION_KEY` names a DynamoDB attribute, `S3_KEY` an object, `KMS_KEY` a key by id or alias,
 * `PUBLIC_KEY` something meant to be shared. A private key in such a variable still counts: its
 * value is credential-shaped.
 */
const NON_SECRET_KEY_QUALIFIERS = new Set([
  "PUBLIC",
  "PUB",
  // Stripe's `pk_live_…` and reCAPTCHA's site key are meant to ship to browsers.
  "PUBLISHABLE",
  "SITE",
  "PARTITION",
  "SORT",
  "PRIMARY",
  "FOREIGN",
  "HASH",
  "RANGE",
  "CACHE",
  "S3",
  "OBJECT",
  "KMS",
  "GPG",
  "PGP",
  "IDEMPOTENCY",
  "ROUTING",
  "SHARD",
  "LOCK",
]);

/**
 * Words that, at the end of the name, make it about the secret rather than the secret itself:
 * `PASSWORD_FILE` holds a path, `SECRET_ARN` a reference, `TOKEN_URL` an endpoint, `KEY_ID` an id,
 * `TOKEN_SIGNING_ALG` an algorithm, `TOKEN_PROVIDER` a service, `EC2_KEY_PAIR` a key pair's name.
 */
const REFERENCE_SUFFIXES = new Set([
  // Checksums of downloads (nginx's official image sets KEY_SHA512 to a hex digest).
  "SHA1",
  "SHA256",
  "SHA512",
  "MD5",
  "CHECKSUM",
  "DIGEST",
  "FILE",
  "PATH",
  "DIR",
  "ARN",
  "NAME",
  "ID",
  "IDS",
  "REF",
  "PARAM",
  "PARAMETER",
  "LOCATION",
  "URL",
  "URI",
  "ENDPOINT",
  "HEADER",
  "LENGTH",
  "SIZE",
  "TTL",
  "TIMEOUT",
  "LIFETIME",
  "EXPIRY",
  "EXPIRES",
  "EXPIRATION",
  "ISSUER",
  "AUDIENCE",
  "ALGORITHM",
  "ALG",
  "METHOD",
  "ENCODER",
  "HASHER",
  "PROVIDER",
  "STORE",
  "BACKEND",
  "SOURCE",
  "SCOPE",
  "SCOPES",
  "VERSION",
  "STAGE",
  "ALIAS",
  "PAIR",
  "INTERVAL",
  "DURATION",
  "PERIOD",
  "PREFIX",
  "FORMAT",
  "LOG",
  "TYPE",
  "POLICY",
  "MODE",
  "REGION",
  "ROTATION",
]);

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

function isSecretWord(word: string, previous: string | undefined): boolean {
  if (word === "KEY") return !NON_SECRET_KEY_QUALIFIERS.has(previous ?? "");
  return SECRET_WORDS.has(word) || SECRET_COMPOUND.test(word);
}

/** True when the variable name says it holds a secret (`DB_PASSWORD`, `apiToken`, `AWS_SECRET_ACCESS_KEY`). */
export function isSecretName(name: string, accepted: readonly string[] = []): boolean {
  const upper = name.toUpperCase();
  if (ALWAYS_ACCEPTED.has(upper) || accepted.some((a) => a.toUpperCase() === upper)) return false;
  const words = nameWords(name);
  const last = words.at(-1) ?? "";
  if (REFERENCE_SUFFIXES.has(last)) return false;
  return words.some((word, i) => isSecretWord(word, words[i - 1]));
}
