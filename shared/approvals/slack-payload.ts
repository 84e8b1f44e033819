import { z } from "zod";

import { APPROVE_ACTION_ID } from "../notifiers/slack";

/** The Approve button's action id, as the Slack alert sets it (its value is the finding id). */
export { APPROVE_ACTION_ID };

/** The parts of a `block_actions` interaction payload Vigil reads (Slack sends many more). */
const blockActionsSchema = z.looseObject({
  type: z.literal("block_actions"),
  user: z.looseObject({
    id: z.string().min(1),
    username: z.string().optional(),
    name: z.string().optional(),
  }),
  team: z.looseObject({ id: z.string() }).nullish(),
  response_url: z.url({ protocol: /^https?$/ }),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })),
});

export interface ApproveClick {
  findingId: string;
  user: { id: string; name?: string };
  responseUrl: string;
}

export type ParsedInteraction =
  | { kind: "approve"; click: ApproveClick }
  /** Something Vigil doesn't handle (another action, another interaction type): acknowledged, nothing done. */
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

/**
 * The interaction in a Slack request body: form-encoded, its `payload` field JSON. Only a click on
 * Vigil's Approve button with a finding id is an approval.
 */
export function parseInteraction(body: string): ParsedInteraction {
  const payload = new URLSearchParams(body).get("payload");
  if (payload === null) return { kind: "invalid", reason: "no payload field in the form body" };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { kind: "invalid", reason: "payload is not JSON" };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (type !== "block_actions") return { kind: "ignored", reason: `interaction type ${String(type)}` };
  const parsed = blockActionsSchema.safeParse(json);
  if (!parsed.success)
    return {
      kind: "invalid",
      reason: parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
        .join("; "),
    };
  const { user, actions, response_url: responseUrl } = parsed.data;
  const action = actions.find((a) => a.action_id === APPROVE_ACTION_ID);
  if (!action)
    return { kind: "ignored", reason: `actions ${actions.map((a) => a.action_id).join(", ") || "none"}` };
  const findingId = action.value?.trim();
  if (!findingId || findingId.length > 200)
    return { kind: "invalid", reason: "the Approve button carries no finding id" };
  const name = user.username ?? user.name;
  return {
    kind: "approve",
    click: { findingId, user: { id: user.id, ...(name ? { name } : {}) }, responseUrl },
  };
}

/** Slack's response URLs are https on hooks.slack.com (hooks.slack-gov.com in GovSlack): nowhere else is posted to. */
export function isSlackResponseUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === "https:" && ["hooks.slack.com", "hooks.slack-gov.com"].includes(parsed.hostname)
    );
  } catch {
    return false;
  }
}

/** The signing secret as stored: the value itself, trimmed. Errors give its length, never the value. */
export function parseSigningSecret(value: string, secretArn = "(Slack signing secret)"): string {
  const secret = value.trim();
  if (!/^[A-Za-z0-9]{16,128}$/.test(secret))
    throw new Error(
      `Secret ${secretArn} is not a Slack signing secret (expected the app's hex signing secret, got ${secret.length} characters)`,
    );
  return secret;
}
