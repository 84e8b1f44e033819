import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  isSlackResponseUrl,
  parseInteraction,
  parseSigningSecret,
} from "../../shared/approvals/slack-payload";
import { slackSignature, verifySlackRequest } from "../../shared/approvals/slack-signature";

// The worked example in Slack's "Verifying requests from Slack" documentation.
const DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const DOC_TIMESTAMP = "1531420618";
const DOC_BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

const SECRET = "0123456789abcdef0123456789abcdef";
const NOW = new Date("2026-11-27T08:00:00.000Z");
const TS = String(NOW.getTime() / 1000);
const BODY = `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions" }))}`;
/** Signed independently of the code under test (node's HMAC directly). */
const sign = (secret: string, ts: string, body: string) =>
  `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
const request = (body: string, headers: { timestamp?: string; signature?: string }) => ({
  timestamp: headers.timestamp,
  signature: headers.signature,
  body: Buffer.from(body),
});

describe("Slack request signatures", () => {
  it("matches Slack's documented example", () => {
    expect(slackSignature(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_SIGNATURE);
    const at = new Date(Number(DOC_TIMESTAMP) * 1000 + 60_000);
    expect(
      verifySlackRequest(
        DOC_SECRET,
        request(DOC_BODY, { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE }),
        at,
      ),
    ).toEqual({ ok: true });
  });

  it("accepts a request signed with the secret, within 5 minutes either way", () => {
    const signature = sign(SECRET, TS, BODY);
    expect(verifySlackRequest(SECRET, request(BODY, { timestamp: TS, signature }), NOW)).toEqual({
      ok: true,
    });
    for (const offset of [-299, 299]) {
      const ts = String(NOW.getTime() / 1000 + offset);
      const signed = request(BODY, { timestamp: ts, signature: sign(SECRET, ts, BODY) });
      expect(verifySlackRequest(SECRET, signed, NOW), `offset ${offset}`).toEqual({ ok: true });
    }
  });

  it("rejects another secret's signature", () => {
    const signature = sign("ffffffffffffffffffffffffffffffff", TS, BODY);
    expect(verifySlackRequest(SECRET, request(BODY, { timestamp: TS, signature }), NOW)).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects stale and future timestamps, even correctly signed (replays)", () => {
    for (const offset of [-301, 301, -86_400]) {
      const ts = String(NOW.getTime() / 1000 + offset);
      const result = verifySlackRequest(
        SECRET,
        request(BODY, { timestamp: ts, signature: sign(SECRET, ts, BODY) }),
        NOW,
      );
      expect(result.ok, `offset ${offset}`).toBe(false);
      expect(result).toMatchObject({ reason: expect.stringContaining("more than 5 minutes") });
    }
  });

  it("rejects a replayed signature over an altered body or timestamp", () => {
    const signature = sign(SECRET, TS, BODY);
    const altered = BODY.replace("block_actions", "block_actionz");
    expect(verifySlackRequest(SECRET, request(altered, { timestamp: TS, signature }), NOW)).toMatchObject({
      ok: false,
      reason: "signature mismatch",
    });
    const later = String(Number(TS) + 10);
    expect(verifySlackRequest(SECRET, request(BODY, { timestamp: later, signature }), NOW)).toMatchObject({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects missing and malformed headers, naming what is wrong (never the secret)", () => {
    const signature = sign(SECRET, TS, BODY);
    const cases: [Parameters<typeof request>[1], string][] = [
      [{}, "missing header X-Slack-Request-Timestamp, X-Slack-Signature"],
      [{ signature }, "missing header X-Slack-Request-Timestamp"],
      [{ timestamp: TS }, "missing header X-Slack-Signature"],
      [{ timestamp: "soon", signature }, "malformed X-Slack-Request-Timestamp"],
      [
        { timestamp: TS, signature: signature.replace("v0=", "v1=") },
        "malformed X-Slack-Signature (expected v0=<hex>)",
      ],
      [{ timestamp: TS, signature: `${signature}00` }, "malformed X-Slack-Signature (expected v0=<hex>)"],
    ];
    for (const [headers, reason] of cases) {
      const result = verifySlackRequest(SECRET, request(BODY, headers), NOW);
      expect(result, JSON.stringify(headers)).toEqual({ ok: false, reason });
      expect(JSON.stringify(result)).not.toContain(SECRET);
    }
  });
});

describe("Slack interaction payloads", () => {
  const payload = (value: unknown) => `payload=${encodeURIComponent(JSON.stringify(value))}`;
  const click = {
    type: "block_actions",
    user: { id: "U0APPROVER", username: "alice", name: "alice", team_id: "T0TEAM" },
    team: { id: "T0TEAM", domain: "example" },
    response_url: "https://hooks.slack.com/actions/T0TEAM/123/abc",
    actions: [
      {
        type: "button",
        action_id: "vigil_approve",
        block_id: "b",
        value: "vf-0123456789abcdef01234567",
        action_ts: "1",
      },
    ],
  };

  it("reads a click on the Approve button", () => {
    expect(parseInteraction(payload(click))).toEqual({
      kind: "approve",
      click: {
        findingId: "vf-0123456789abcdef01234567",
        user: { id: "U0APPROVER", name: "alice" },
        responseUrl: "https://hooks.slack.com/actions/T0TEAM/123/abc",
      },
    });
  });

  it("ignores other actions and interaction types; rejects what is not a Slack payload", () => {
    expect(
      parseInteraction(payload({ ...click, actions: [{ action_id: "other", value: "x" }] })),
    ).toMatchObject({ kind: "ignored" });
    expect(parseInteraction(payload({ type: "view_submission" }))).toMatchObject({ kind: "ignored" });
    expect(parseInteraction("token=x")).toEqual({
      kind: "invalid",
      reason: "no payload field in the form body",
    });
    expect(parseInteraction("payload=%7Bnot")).toEqual({ kind: "invalid", reason: "payload is not JSON" });
    expect(parseInteraction(payload({ ...click, user: undefined }))).toMatchObject({ kind: "invalid" });
    expect(parseInteraction(payload({ ...click, actions: [{ action_id: "vigil_approve" }] }))).toEqual({
      kind: "invalid",
      reason: "the Approve button carries no finding id",
    });
  });

  it("posts only to Slack's hooks host over https", () => {
    expect(isSlackResponseUrl("https://hooks.slack.com/actions/T/1/x")).toBe(true);
    expect(isSlackResponseUrl("http://hooks.slack.com/actions/T/1/x")).toBe(false);
    expect(isSlackResponseUrl("https://hooks.slack.com.evil.example/x")).toBe(false);
    expect(isSlackResponseUrl("https://169.254.169.254/latest")).toBe(false);
    expect(isSlackResponseUrl("not a url")).toBe(false);
  });

  it("takes the signing secret as stored, and never quotes a bad one", () => {
    expect(parseSigningSecret(` ${SECRET}\n`)).toBe(SECRET);
    expect(() => parseSigningSecret("https://hooks.slack.com/services/X", "arn:secret")).toThrow(
      "Secret arn:secret is not a Slack signing secret (expected the app's hex signing secret, got 34 characters)",
    );
  });
});
