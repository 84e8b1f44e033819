import { z } from "zod";
import { apiActionSchema, fromApiAction } from "./actions";
import { listenerIdentity } from "./ref";
import type { ListenerRuleState, ListenerState } from "./state";

/**
 * A listener as the ELBv2 API describes it (`DescribeListeners`) and as AWS Config records it
 * (`AWS::ElasticLoadBalancingV2::Listener`, same PascalCase fields).
 */
export const apiListenerSchema = z.looseObject({
  ListenerArn: z.string().min(1),
  Protocol: z.string().min(1).nullable().optional(),
  Port: z.coerce.number().int().nullable().optional(),
  SslPolicy: z.string().min(1).nullable().optional(),
  DefaultActions: z.array(apiActionSchema).nullable().optional(),
});

export const apiRuleSchema = z.looseObject({
  RuleArn: z.string().min(1),
  Priority: z.string().nullable().optional(),
  IsDefault: z.boolean().nullable().optional(),
  Actions: z.array(apiActionSchema).nullable().optional(),
});

export function listenerFromApi(listener: z.infer<typeof apiListenerSchema>): ListenerState {
  const { loadBalancerArn, loadBalancerType } = listenerIdentity(listener.ListenerArn);
  return {
    listenerArn: listener.ListenerArn,
    loadBalancerArn,
    loadBalancerType,
    ...(listener.Protocol ? { protocol: listener.Protocol.toUpperCase() } : {}),
    ...(typeof listener.Port === "number" ? { port: listener.Port } : {}),
    ...(listener.SslPolicy ? { sslPolicy: listener.SslPolicy } : {}),
    ...(listener.DefaultActions ? { defaultActions: listener.DefaultActions.map(fromApiAction) } : {}),
  };
}

/** The listener's rules other than the default one (whose actions are the listener's default actions). */
export function rulesFromApi(rules: readonly z.infer<typeof apiRuleSchema>[]): ListenerRuleState[] {
  return rules
    .filter((rule) => rule.IsDefault !== true)
    .map((rule) => ({
      ruleArn: rule.RuleArn,
      ...(rule.Priority ? { priority: rule.Priority } : {}),
      actions: (rule.Actions ?? []).map(fromApiAction),
    }));
}
