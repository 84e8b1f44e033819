import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { loadElbv2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import {
  apiListenerSchema,
  apiRuleSchema,
  listenerFromApi,
  rulesFromApi,
} from "../../resources/elbv2-listener/from-api";
import { isGone } from "../../resources/elbv2-listener/live";
import { LISTENER_TYPE, listenerIdentity, listenerRef } from "../../resources/elbv2-listener/ref";
import type { ListenerState } from "../../resources/elbv2-listener/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

type ListenerObservation = Observation<"AWS::ElasticLoadBalancingV2::Listener">;

/**
 * DescribeLoadBalancers, DescribeListeners and DescribeRules take up to 400 per page. Their
 * paginators ignore `pageSize`: it goes in the request.
 */
const PAGE_SIZE = 400;

/** A listener's non-default rules, every page; undefined when the listener went away meanwhile. */
async function rulesOf(
  elbv2: ElasticLoadBalancingV2Client,
  listenerArn: string,
  pageSize: number,
): Promise<ListenerState["rules"] | undefined> {
  const { paginateDescribeRules } = await loadElbv2();
  const rules = [];
  try {
    for await (const page of paginateDescribeRules(
      { client: elbv2 },
      { ListenerArn: listenerArn, PageSize: pageSize },
    ))
      rules.push(...(page.Rules ?? []).map((rule) => apiRuleSchema.parse(rule)));
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
  return rulesFromApi(rules);
}

/** One load balancer's listeners, HTTP ones with their rules; [] when the load balancer went away. */
async function listenersOf(
  elbv2: ElasticLoadBalancingV2Client,
  loadBalancerArn: string,
  pageSize: number,
): Promise<ListenerState[]> {
  const { paginateDescribeListeners } = await loadElbv2();
  const found: ListenerState[] = [];
  try {
    for await (const page of paginateDescribeListeners(
      { client: elbv2 },
      { LoadBalancerArn: loadBalancerArn, PageSize: pageSize },
    ))
      for (const listener of page.Listeners ?? [])
        found.push(listenerFromApi(apiListenerSchema.parse(listener)));
  } catch (error) {
    if (isGone(error)) return [];
    throw error;
  }
  const states: ListenerState[] = [];
  for (const state of found) {
    // ELB.1 judges every rule of an HTTP listener; nothing reads the rules of the others.
    if (state.protocol !== "HTTP") {
      states.push(state);
      continue;
    }
    const rules = await rulesOf(elbv2, state.listenerArn, pageSize);
    if (rules) states.push({ ...state, rules });
  }
  return states;
}

/**
 * Every listener of every Application, Network and Gateway Load Balancer in the Region, in the
 * state the adapter's live read gives (HTTP listeners with their rules): the whole listener, so a
 * clean result resolves. Tags (load balancer's and listener's) are read by the pipeline only for a
 * listener that violates something, as for Config items.
 */
export function elbv2ListenersCollector(
  pageSize = PAGE_SIZE,
): Collector<"AWS::ElasticLoadBalancingV2::Listener"> {
  return defineCollector({
    resourceType: LISTENER_TYPE,
    scope: "regional",
    iamActions: [
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeRules",
    ],
    async *collect(ctx: CollectContext): AsyncIterable<ListenerObservation> {
      const [elbv2, { paginateDescribeLoadBalancers }] = await Promise.all([
        ctx.clients.elbv2(),
        loadElbv2(),
      ]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateDescribeLoadBalancers({ client: elbv2 }, { PageSize: pageSize })) {
        for (const loadBalancer of page.LoadBalancers ?? []) {
          if (!loadBalancer.LoadBalancerArn) continue;
          for (const state of await listenersOf(elbv2, loadBalancer.LoadBalancerArn, pageSize)) {
            yield {
              resource: listenerRef(listenerIdentity(state.listenerArn), state.port),
              state,
              complete: true,
              observedAt,
              tagsKnown: false,
            };
          }
        }
      }
    },
  });
}

export default elbv2ListenersCollector();
