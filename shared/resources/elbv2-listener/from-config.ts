import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { needsRules } from "./actions";
import { apiListenerSchema, listenerFromApi } from "./from-api";
import { listenerIdentity, listenerRef } from "./ref";

/**
 * A Config item for a listener: the whole listener except its rules (Config records no rules on
 * it). Tags are not taken from it: they are read with the load balancer's (see the adapter).
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::ElasticLoadBalancingV2::Listener"> {
  const base = { complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: false };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) {
    const arn = item.ARN ?? item.resourceId;
    return { ...base, resource: listenerRef(listenerIdentity(arn)), state: undefined };
  }
  const parsed = apiListenerSchema.safeParse(configurationOf(item));
  if (!parsed.success) {
    throw new UnusableEventError(
      `listener ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const state = listenerFromApi(parsed.data);
  return {
    ...base,
    resource: listenerRef(listenerIdentity(state.listenerArn), state.port),
    state,
    ...(needsRules(state) ? { needsRefresh: true } : {}),
  };
}
