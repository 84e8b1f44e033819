/**
 * Values that are credentials whatever their variable is called. Each kind has a shape specific
 * enough that a match is not a coincidence; generic high-entropy text is judged separately.
 */
const CREDENTIAL_SHAPES: { kind: string; pattern: RegExp }[] = [
  // AWS documentation's example key id (`AKIAIOSFODNN7EXAMPLE`) is no credential.
  { kind: "AWS access key id", pattern: /\b(AKIA|ASIA|ABIA|ACCA)(?![A-Z2-7]{9}EXAMPLE\b)[A-Z2-7]{16}\b/ },
  { kind: "private key", pattern: /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { kind: "GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { kind: "GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { kind: "npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "Slack webhook", pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { kind: "Stripe secret key", pattern: /\b(sk|rk)_live_[A-Za-z0-9]{20,}/ },
  { kind: "SendGrid API key", pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { kind: "OpenAI or Anthropic API key", pattern: /\bsk-(proj|ant(-api\d\d)?)-[A-Za-z0-9_-]{32,}/ },
  { kind: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: "Azure storage account key", pattern: /\bAccountKey=[A-Za-z0-9+/]{40,}={0,2}/ },
  { kind: "JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
];

/**
 * `scheme://user:password@host` (the user may be empty: `redis://:password@host`). A password that
 * is only a placeholder (`${DB_PASSWORD}`, `<password>`, `****`) is a template, not a secret.
 */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s:/@]+)@[^\s/]+/gi;

/** What kind of credential `value` contains, or undefined. Never returns the value itself. */
export function credentialKind(value: string): string | undefined {
  const shaped = CREDENTIAL_SHAPES.find(({ pattern }) => pattern.test(value))?.kind;
  if (shaped) return shaped;
  for (const match of value.matchAll(URL_PASSWORD)) {
    if (!isPlaceholder(match[1] ?? "")) return "password in URL";
  }
  return undefined;
}

/** A duration or a size (`30s`, `5m`, `1h`, `90d`, `512Mi`, `10 MB`): a setting, never a secret. */
const QUANTITY =
  /^\d+(\.\d+)?\s?(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|[kmgt]i?b?)$/i;

/**
 * Public keys and certificates are meant to be shared (a private key in the same value is caught
 * first, as a credential): an OpenSSH public key line, or a PEM public key or certificate.
 */
const PUBLIC_KEY_MATERIAL =
  /^((ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA[0-9A-Za-z+/]+={0,3}(\s\S*)?|-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE|PGP PUBLIC KEY BLOCK)-----[\s\S]*)$/;

/** Text that stands for a value without being one: templating, masks, redactions. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    /^\$\{[^}]*\}$/.test(v) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) ||
    /^\{\{[^}]*\}\}$/.test(v) ||
    /^%\([A-Za-z0-9_]+\)s$|^%s$/.test(v) ||
    /^<[^<>]+>$/.test(v) ||
    /^(\*+|x{3,}|X{3,}|•+)$/.test(v) ||
    /^(REDACTED|HIDDEN_DUE_TO_SECURITY_REASONS|<sensitiveDataRemoved>)$/i.test(v)
  );
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A random-looking token: long, one "word", mixed character classes, high entropy. Hex digests
 * and UUIDs are excluded: images and task definitions are full of them and they are not secret.
 */
export function looksRandom(value: string): boolean {
  if (value.length < 20 || value.length > 512 || /\s/.test(value)) return false;
  if (/^[0-9a-f]+$/i.test(value) || /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(value)) return false;
  if (/^(sha256|sha512):/.test(value) || value.includes("/") || value.includes("://")) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((c) => c.test(value)).length;
  return classes >= 3 && entropy(value) >= 4;
}

/**
 * Values a secret-named variable may hold without holding a secret: empty, a flag, a number, a
 * duration or size, public key material, a path, a reference to where the secret really lives
 * (Secrets Manager or SSM ARN, `${VAR}`, a CloudFormation dynamic reference), or a placeholder
 * (`<password>`, `****`, a redaction).
 */
export function isHarmlessValue(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (/^(true|false|yes|no|on|off|none|null|nil|undefined|enabled|disabled|required|optional)$/i.test(v))
    return true;
  if (/^\d{1,6}$/.test(v) || QUANTITY.test(v) || PUBLIC_KEY_MATERIAL.test(v)) return true;
  if (/^(\/|\.\/|~\/)[^\s]*$/.test(v)) return true;
  if (/^arn:aws[a-z-]*:(secretsmanager|ssm|kms):[^\s]*$/.test(v)) return true;
  if (/^\{\{resolve:(secretsmanager|ssm|ssm-secure):[^\s]*\}\}$/.test(v)) return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(v)) return true;
  return isPlaceholder(v);
}

/**
 * What Vigil needs to know about a value to judge it, without the value: a state can carry these
 * facts (and the variable's name) instead of the secret itself.
 */
export interface ValueFacts {
  length: number;
  /** Set when the value is credential-shaped (see `credentialKind`). */
  credentialKind?: string;
  harmless: boolean;
  random: boolean;
}

export function valueFacts(value: string): ValueFacts {
  const kind = credentialKind(value);
  return {
    length: value.length,
    ...(kind ? { credentialKind: kind } : {}),
    harmless: isHarmlessValue(value),
    random: looksRandom(value),
  };
}

/** "an AWS access key id", "a private key": for reasons written in plain English. */
export function withArticle(kind: string): string {
  return `${/^[AEIOU]/i.test(kind) && !/^(US|UN[IU])/i.test(kind) ? "an" : "a"} ${kind}`;
}
