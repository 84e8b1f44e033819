/**
 * Values that are credentials whatever their variable is called. Each kind has a shape specific
 * enough that a match is not a coincidence; generic high-entropy text is judged separately.
 */
const CREDENTIAL_SHAPES: { kind: string; pattern: RegExp }[] = [
  { kind: "AWS access key id", pattern: /\b(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/ },
  { kind: "private key", pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY( BLOCK)?-----/ },
  { kind: "GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { kind: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "Slack webhook", pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { kind: "Stripe secret key", pattern: /\b(sk|rk)_live_[A-Za-z0-9]{20,}/ },
  { kind: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: "JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { kind: "password in URL", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s:/@]+@[^\s/]+/i },
];

/** What kind of credential `value` contains, or undefined. Never returns the value itself. */
export function credentialKind(value: string): string | undefined {
  return CREDENTIAL_SHAPES.find(({ pattern }) => pattern.test(value))?.kind;
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
 * path, a reference to where the secret really lives (Secrets Manager or SSM ARN, `${VAR}`).
 */
export function isHarmlessValue(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (/^(true|false|yes|no|on|off|none|null|enabled|disabled|required|optional)$/i.test(v)) return true;
  if (/^\d{1,6}$/.test(v)) return true;
  if (/^(\/|\.\/|~\/)[^\s]*$/.test(v)) return true;
  if (/^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/.test(v)) return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(v)) return true;
  return false;
}
