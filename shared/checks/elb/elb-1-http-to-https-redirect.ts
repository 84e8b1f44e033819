import { redirectsToHttps } from "../../resources/elbv2-listener/actions";
import type { ListenerState } from "../../resources/elbv2-listener/state";
import { defineCheck, type Violation } from "../define";
import { listenerAndRuleTriggers, listenerReadActions } from "./triggers";

const actionTypes = (actions: ListenerState["defaultActions"]) =>
  (actions ?? []).map((a) => (a.redirectProtocol ? `${a.type} to ${a.redirectProtocol}` : a.type));

/**
 * Like its Config rule (alb-http-to-https-redirection-check), every rule of an HTTP listener must
 * redirect to HTTPS, not only the default one: a rule that forwards serves that path over plain HTTP.
 * HTTP listeners exist on Application Load Balancers only; HTTPS, TCP, TLS, UDP and GENEVE
 * listeners are not applicable.
 */
function violations(state: ListenerState): Violation[] {
  if (state.protocol !== "HTTP") return [];
  const where = { listenerArn: state.listenerArn, loadBalancerArn: state.loadBalancerArn, port: state.port };
  const found: Violation[] = [];
  if (state.defaultActions && !redirectsToHttps(state.defaultActions)) {
    found.push({
      summary: `HTTP listener on port ${state.port ?? "?"} serves requests over HTTP: its default action is ${actionTypes(state.defaultActions).join(", ") || "none"}, not a redirect to HTTPS`,
      evidence: { ...where, rule: "default", actions: actionTypes(state.defaultActions) },
    });
  }
  for (const rule of state.rules ?? []) {
    if (redirectsToHttps(rule.actions)) continue;
    found.push({
      summary: `HTTP listener on port ${state.port ?? "?"}: rule ${rule.priority ?? rule.ruleArn} is ${actionTypes(rule.actions).join(", ")}, not a redirect to HTTPS`,
      evidence: { ...where, rule: rule.ruleArn, priority: rule.priority, actions: actionTypes(rule.actions) },
    });
  }
  return found;
}

export default defineCheck({
  id: "ELB.1",
  title: "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
  severity: "MEDIUM",
  resourceType: "AWS::ElasticLoadBalancingV2::Listener",
  controls: ["FSBP ELB.1"],
  description:
    "An HTTP listener of an Application Load Balancer forwards or answers requests in clear text. Make its default action and every rule a redirect to HTTPS (port 443). Security Hub reports this on the load balancer; Vigil names the listener.",
  triggers: listenerAndRuleTriggers,
  iamActions: listenerReadActions,
  undecided: (state) => {
    if (state.protocol === undefined) return "this call does not say the listener's protocol";
    if (state.protocol !== "HTTP") return undefined;
    if (state.defaultActions === undefined) return "this call does not say the listener's default action";
    if (state.rules === undefined && redirectsToHttps(state.defaultActions))
      return "the listener's other rules are not known";
    return undefined;
  },
  evaluate: violations,
});
