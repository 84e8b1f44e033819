import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { cloudTrailActionSchema, fromCloudTrailAction, needsRules } from "./actions";
import { listenerArnOfRule, listenerIdentity, listenerRef } from "./ref";
import type { ListenerState } from "./state";

type ListenerObservation = Observation<"AWS::ElasticLoadBalancingV2::Listener">;

/** A listener as `CreateListener`/`ModifyListener` answer it (`responseElements.listeners[]`). */
const responseListenerSchema = z.looseObject({
  listenerArn: z.string().min(1),
  protocol: z.string().min(1).optional(),
  port: z.coerce.number().int().optional(),
  sslPolicy: z.string().min(1).nullable().optional(),
  defaultActions: z.array(cloudTrailActionSchema).optional(),
});
const responseSchema = z.looseObject({ listeners: z.array(responseListenerSchema).min(1) });

const createRequestSchema = z.looseObject({
  protocol: z.string().min(1).optional(),
  port: z.coerce.number().int().optional(),
  sslPolicy: z.string().min(1).optional(),
  defaultActions: z.array(cloudTrailActionSchema).optional(),
});
const listenerRequestSchema = z.looseObject({ listenerArn: z.string().min(1) });
const ruleRequestSchema = z.looseObject({ ruleArn: z.string().min(1) });

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function observation(
  detail: CloudTrailDetail,
  state: ListenerState,
  complete: boolean,
  needsRefresh: boolean,
): ListenerObservation {
  return {
    resource: listenerRef(listenerIdentity(state.listenerArn), state.port),
    state,
    complete,
    observedAt: detail.eventTime,
    tagsKnown: false,
    ...(needsRefresh ? { needsRefresh } : {}),
  };
}

function baseState(listenerArn: string): ListenerState {
  const { loadBalancerArn, loadBalancerType } = listenerIdentity(listenerArn);
  return { listenerArn, loadBalancerArn, loadBalancerType };
}

function listenerState(
  listener: z.infer<typeof responseListenerSchema>,
  fallback: z.infer<typeof createRequestSchema> = {},
): ListenerState {
  const protocol = listener.protocol ?? fallback.protocol;
  const port = listener.port ?? fallback.port;
  const sslPolicy = listener.sslPolicy ?? fallback.sslPolicy;
  const actions = listener.defaultActions ?? fallback.defaultActions;
  return {
    ...baseState(listener.listenerArn),
    ...(protocol ? { protocol: protocol.toUpperCase() } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(sslPolicy ? { sslPolicy } : {}),
    ...(actions ? { defaultActions: actions.map(fromCloudTrailAction) } : {}),
  };
}

/**
 * `CreateListener`: the answer is the new listener (ARN, and the security policy AWS chose when the
 * request named none). A new listener has only its default rule, so this is the whole listener.
 */
export function fromCreateListener(detail: CloudTrailDetail): ListenerObservation[] {
  const request = parse(
    createRequestSchema,
    detail.requestParameters ?? {},
    "CreateListener requestParameters",
  );
  const response = parse(responseSchema, detail.responseElements, "CreateListener responseElements");
  return response.listeners.map((listener) =>
    observation(detail, { ...listenerState(listener, request), rules: [] }, true, false),
  );
}

/**
 * `ModifyListener`: the answer is the whole listener after the change, except its rules (which the
 * call doesn't touch). When CloudTrail left the answer out, the listener is read instead.
 */
export function fromModifyListener(detail: CloudTrailDetail): ListenerObservation[] {
  const { listenerArn } = parse(
    listenerRequestSchema,
    detail.requestParameters,
    "ModifyListener requestParameters",
  );
  const response = responseSchema.safeParse(detail.responseElements);
  const listener = response.success
    ? response.data.listeners.find((l) => l.listenerArn === listenerArn)
    : undefined;
  if (!listener) return [observation(detail, baseState(listenerArn), false, true)];
  const state = listenerState(listener);
  return [observation(detail, state, true, needsRules(state))];
}

/** `DeleteListener`: the listener is gone, and its findings with it. */
export function fromDeleteListener(detail: CloudTrailDetail): ListenerObservation[] {
  const { listenerArn } = parse(
    listenerRequestSchema,
    detail.requestParameters,
    "DeleteListener requestParameters",
  );
  return [
    {
      resource: listenerRef(listenerIdentity(listenerArn)),
      state: undefined,
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: false,
    },
  ];
}

/**
 * `CreateRule`, `ModifyRule`, `DeleteRule`: a rule changed on some listener whose protocol the call
 * doesn't say; the listener and all its rules are read before it is judged.
 */
export function fromRuleChange(detail: CloudTrailDetail): ListenerObservation[] {
  const what = `${detail.eventName} requestParameters`;
  const listenerArn =
    detail.eventName === "CreateRule"
      ? parse(listenerRequestSchema, detail.requestParameters, what).listenerArn
      : listenerArnOfRule(parse(ruleRequestSchema, detail.requestParameters, what).ruleArn);
  return [observation(detail, baseState(listenerArn), false, true)];
}
