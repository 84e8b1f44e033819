/**
 * Policy documents as text: CloudTrail requests carry the JSON as sent, IAM's API and Config return it
 * URL-encoded once (see the project's event notes, §3). Comparing or storing them needs the JSON value.
 */

/** The document's JSON value, from JSON text or URL-encoded JSON text; undefined when it is neither. */
export function policyJson(text: string): unknown {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith("{")) return JSON.parse(trimmed) as unknown;
    return JSON.parse(decodeURIComponent(trimmed)) as unknown;
  } catch {
    return undefined;
  }
}

/** JSON with object keys sorted, so two documents that differ only in layout or key order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** True when both texts hold the same JSON document (whitespace, key order and encoding aside). */
export function sameDocument(a: string, b: string): boolean {
  const left = policyJson(a);
  const right = policyJson(b);
  return left !== undefined && right !== undefined && canonical(left) === canonical(right);
}

/** The document as compact JSON text (what an undo payload keeps); undefined when it can't be read. */
export function compactDocument(text: string): string | undefined {
  const value = policyJson(text);
  return value === undefined ? undefined : JSON.stringify(value);
}
