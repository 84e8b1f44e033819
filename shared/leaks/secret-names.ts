/**
 * Environment-variable names that announce a secret. Dockle (CIS-DI-0010) matches the words
 * PASS, PASSWD, PASSWORD, SECRET, KEY, ACCESS and TOKEN as substrings, which also flags `MONKEY`,
 * `KEYBOARD` or `ACCESS_LOG`. Vigil matches them as words of the name (split on `_`, `-`, `.` and
 * camelCase), plus the compounds people write without separators (`APIKEY`, `DBPASSWORD`).
 */
const SECRET_WORDS = new Set(["PASS", "PASSWD", "PASSWORD", "SECRET", "KEY", "ACCESS", "TOKEN"]);
const SECRET_COMPOUND = /(PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|PRIVATEKEY|ACCESSKEY|AUTHKEY|CREDENTIALS?)$/;

/** Names that contain a secret word but are known not to hold secrets. */
const ALWAYS_ACCEPTED = new Set(["GPG_KEY", "GPG_KEYS"]);

/**
 * Words that, right after a secret word, make the name about the secret rather than the secret
 * itself: `PASSWORD_FILE` holds a path, `SECRET_ARN` a reference, `TOKEN_URL` an endpoint.
 */
const REFERENCE_SUFFIXES = new Set([
  "FILE",
  "PATH",
  "DIR",
  "ARN",
  "NAME",
  "ID_FILE",
  "URL",
  "URI",
  "ENDPOINT",
  "HEADER",
  "LENGTH",
  "TTL",
  "EXPIRY",
  "EXPIRES",
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

/** True when the variable name says it holds a secret (`DB_PASSWORD`, `apiToken`, `AWS_SECRET_ACCESS_KEY`). */
export function isSecretName(name: string, accepted: readonly string[] = []): boolean {
  const upper = name.toUpperCase();
  if (ALWAYS_ACCEPTED.has(upper) || accepted.some((a) => a.toUpperCase() === upper)) return false;
  const words = nameWords(name);
  const last = words.at(-1) ?? "";
  if (REFERENCE_SUFFIXES.has(last)) return false;
  return words.some((word) => SECRET_WORDS.has(word) || SECRET_COMPOUND.test(word));
}
