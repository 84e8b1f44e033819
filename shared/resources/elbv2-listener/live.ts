import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { errorName } from "../../aws/errors";
import { loadElbv2 } from "../../aws/sdk";
import { apiListenerSchema, apiRuleSchema, listenerFromApi, rulesFromApi } from "./from-api";
import type { ListenerState } from "./state";

/** ELBv2's "that listener (or its load balancer) is not there": for Vigil, already gone. */
const GONE = new Set(["ListenerNotFoundException", "LoadBalancerNotFoundException"]);
export const isGone = (error: unknown): boolean => GONE.has(errorName(error));

/**
 * The listener as it is now, with its rules when it is an HTTP listener (ELB.1 judges every rule
 * of those; nothing reads the rules of the others). Undefined when it no longer exists.
 */
export async function liveListener(
  elbv2: ElasticLoadBalancingV2Client,
  listenerArn: string,
): Promise<ListenerState | undefined> {
  const { DescribeListenersCommand, DescribeRulesCommand } = await loadElbv2();
  let found;
  try {
    const out = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
    found = out.Listeners?.find((l) => l.ListenerArn === listenerArn);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
  if (!found) return undefined;
  const state = listenerFromApi(apiListenerSchema.parse(found));
  if (state.protocol !== "HTTP") return state;

  const rules = [];
  let marker: string | undefined;
  do {
    try {
      const page = await elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }));
      rules.push(...(page.Rules ?? []).map((rule) => apiRuleSchema.parse(rule)));
      marker = page.NextMarker;
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
  } while (marker);
  return { ...state, rules: rulesFromApi(rules) };
}

/**
 * Tags of the load balancer and of the listener, in one call: an exemption tag on the load balancer
 * covers all its listeners (CloudFormation can't tag listeners), a listener's own tag wins per key.
 */
export async function listenerTags(
  elbv2: ElasticLoadBalancingV2Client,
  state: Pick<ListenerState, "listenerArn" | "loadBalancerArn">,
): Promise<Record<string, string>> {
  const { DescribeTagsCommand } = await loadElbv2();
  try {
    const out = await elbv2.send(
      new DescribeTagsCommand({ ResourceArns: [state.loadBalancerArn, state.listenerArn] }),
    );
    const tagsOf = (arn: string) =>
      (out.TagDescriptions ?? [])
        .filter((d) => d.ResourceArn === arn)
        .flatMap((d) => d.Tags ?? [])
        .filter((t) => t.Key !== undefined)
        .map((t) => [t.Key, t.Value ?? ""] as const);
    return Object.fromEntries([...tagsOf(state.loadBalancerArn), ...tagsOf(state.listenerArn)]);
  } catch (error) {
    if (isGone(error)) return {};
    throw error;
  }
}
