import { rawDocumentSchema } from "./schema";
import { normaliseDocument } from "./normalise";
import type { PolicyEncoding, PolicyParseError, PolicyParseResult } from "./types";

/**
 * How policy documents arrive (see the project's event notes, §3):
 * - CloudTrail `requestParameters` of IAM calls: the JSON text exactly as sent (a string);
 * - IAM API responses, CloudTrail `responseElements` and AWS Config items: that text URL-encoded once
 *   (`%7B%0A%20%20%22Version%22…`);
 * - S3 `PutBucketPolicy` in CloudTrail: an already-parsed object.
 *
 * Detection: after leading whitespace, JSON text starts with `{`; URL-encoded text starts with `%7B`
 * (possibly after encoded whitespace). A string that starts with `{` is never URL-decoded, so a value holding
 * `%41` in JSON text keeps it. URL-encoded text is decoded exactly once. Fallbacks, each tried only after the
 * plain reading failed: `+` for spaces (form encoding), and JSON text that was partly encoded.
 */

const fail = (code: PolicyParseError["code"], message: string, issues: string[] = []): PolicyParseResult => ({
  ok: false,
  error: { code, message, issues },
});

type Decoded = { ok: true; value: unknown } | { ok: false; result: PolicyParseResult };

function parseJson(text: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, result: fail("not-json", "the policy text is not valid JSON") };
  }
}

function urlDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

const URL_ENCODED_START = /^(%(20|09|0A|0D))*%7B/i;
const HAS_ESCAPE = /%[0-9A-F]{2}/i;

function decodeUrlEncoded(text: string): Decoded {
  const decoded = urlDecode(text);
  if (decoded === undefined) {
    return {
      ok: false,
      result: fail("bad-url-encoding", "the policy text looks URL-encoded but does not decode"),
    };
  }
  const parsed = parseJson(decoded);
  if (parsed.ok || !text.includes("+")) return parsed;
  // Form encoding writes spaces as `+` (a literal `+` is then `%2B`): retry that reading only when the first failed.
  const formDecoded = urlDecode(text.replace(/\+/g, " "));
  return formDecoded === undefined ? parsed : parseJson(formDecoded);
}

function decodeText(input: string): { decoded: Decoded; encoding: PolicyEncoding } {
  const text = input.replace(/^\uFEFF/, "").trim();
  if (text === "")
    return { decoded: { ok: false, result: fail("empty", "the policy text is empty") }, encoding: "json" };
  if (URL_ENCODED_START.test(text)) return { decoded: decodeUrlEncoded(text), encoding: "url-encoded-json" };
  const parsed = parseJson(text);
  if (parsed.ok || !text.startsWith("{") || !HAS_ESCAPE.test(text))
    return { decoded: parsed, encoding: "json" };
  // Not valid JSON as it stands, but holds %XX escapes: a partly encoded document (`{%22Version%22…`).
  const partly = decodeUrlEncoded(text);
  return partly.ok
    ? { decoded: partly, encoding: "url-encoded-json" }
    : { decoded: parsed, encoding: "json" };
}

function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || "(document)"}: ${issue.message}`);
}

/**
 * Reads a policy document given as a parsed object, JSON text, or URL-encoded JSON text, and returns the
 * normalised document (see {@link PolicyDocument}) or a typed error. Never throws; error messages name paths
 * and problems, never the document's values.
 */
export function parsePolicyDocument(input: unknown): PolicyParseResult {
  let value: unknown = input;
  let encoding: PolicyEncoding = "object";
  if (typeof input === "string") {
    const read = decodeText(input);
    if (!read.decoded.ok) return read.decoded.result;
    value = read.decoded.value;
    encoding = read.encoding;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return fail("not-a-policy", "a policy document is a JSON object with a Statement");
  }
  const parsed = rawDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    return fail("invalid-shape", `the policy document is not valid (${issues.length} problem(s))`, issues);
  }
  return { ok: true, document: normaliseDocument(parsed.data), encoding };
}
