import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's own limit: a request whose timestamp is further than this from now may be a replay. */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

export interface SignedRequest {
  /** `X-Slack-Request-Timestamp`: Unix seconds. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`: `v0=` + hex HMAC-SHA256. */
  signature: string | undefined;
  /** The raw body exactly as received (already base64-decoded). */
  body: Buffer;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** `v0=` + hex HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`), Slack's request signature. */
export function slackSignature(secret: string, timestamp: string, body: Buffer | string): string {
  const hmac = createHmac("sha256", secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  return `v0=${hmac.digest("hex")}`;
}

/**
 * Whether a request really comes from Slack (the function URL has no other authentication): the
 * signature must match, compared in constant time, and the timestamp be within 5 minutes of now
 * either way. Reasons never contain the secret or the expected signature.
 */
export function verifySlackRequest(secret: string, request: SignedRequest, now: Date): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) {
    const missing = [!timestamp && "X-Slack-Request-Timestamp", !signature && "X-Slack-Signature"].filter(
      Boolean,
    );
    return { ok: false, reason: `missing header ${missing.join(", ")}` };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed X-Slack-Request-Timestamp" };
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > SLACK_TIMESTAMP_TOLERANCE_SECONDS)
    return {
      ok: false,
      reason: `timestamp ${Math.round(skew)} s away from now (more than 5 minutes: replay?)`,
    };
  if (!SIGNATURE.test(signature))
    return { ok: false, reason: "malformed X-Slack-Signature (expected v0=<hex>)" };
  const expected = Buffer.from(slackSignature(secret, timestamp, request.body));
  const given = Buffer.from(signature);
  // Same length by the pattern above; timingSafeEqual throws otherwise.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "signature mismatch" };
  return { ok: true };
}
