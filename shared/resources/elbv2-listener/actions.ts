import { z } from "zod";
import type { ListenerAction, ListenerRuleState, ListenerState } from "./state";

/** An action as CloudTrail records it (the API's fields, camelCase). Only what the checks judge is read. */
export const cloudTrailActionSchema = z.looseObject({
  type: z.string().min(1),
  redirectConfig: z.looseObject({ protocol: z.string().optional() }).nullable().optional(),
});

/** An action as the API answers and Config records it (PascalCase). */
export const apiActionSchema = z.looseObject({
  Type: z.string().min(1),
  RedirectConfig: z.looseObject({ Protocol: z.string().nullable().optional() }).nullable().optional(),
});

function action(type: string, redirectProtocol: string | null | undefined): ListenerAction {
  const normalised = type.toLowerCase();
  return normalised === "redirect" && redirectProtocol
    ? { type: normalised, redirectProtocol: redirectProtocol.toUpperCase() }
    : { type: normalised };
}

export const fromCloudTrailAction = (a: z.infer<typeof cloudTrailActionSchema>): ListenerAction =>
  action(a.type, a.redirectConfig?.protocol);

export const fromApiAction = (a: z.infer<typeof apiActionSchema>): ListenerAction =>
  action(a.Type, a.RedirectConfig?.Protocol);

/**
 * Whether a rule's actions send the client to HTTPS. A rule has exactly one final action
 * (forward, redirect or fixed-response), so one HTTPS redirect among them decides it.
 * `#{protocol}` keeps the client's own protocol (HTTP here): not a redirect to HTTPS.
 */
export function redirectsToHttps(actions: readonly ListenerAction[]): boolean {
  return actions.some((a) => a.type === "redirect" && a.redirectProtocol === "HTTPS");
}

/**
 * ELB.1 can only pass an HTTP listener once all its rules are known: the default rule redirects,
 * and any other rule might not. Such a listener is re-read (DescribeRules) before it is judged.
 */
export function needsRules(state: Pick<ListenerState, "protocol" | "defaultActions" | "rules">): boolean {
  return (
    state.protocol === "HTTP" &&
    state.rules === undefined &&
    state.defaultActions !== undefined &&
    redirectsToHttps(state.defaultActions)
  );
}

export type { ListenerAction, ListenerRuleState };
