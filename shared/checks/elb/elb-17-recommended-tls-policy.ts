import { defineCheck } from "../define";
import { RECOMMENDED_SSL_POLICIES } from "./recommended-tls-policies";
import { listenerReadActions, listenerTriggers } from "./triggers";

/** The listeners that negotiate TLS with clients: HTTPS on Application, TLS on Network Load Balancers. */
const TLS_PROTOCOLS = new Set(["HTTPS", "TLS"]);

export default defineCheck({
  id: "ELB.17",
  title: "Application and Network Load Balancers with listeners should use recommended security policies",
  severity: "MEDIUM",
  resourceType: "AWS::ElasticLoadBalancingV2::Listener",
  controls: ["FSBP ELB.17"],
  description:
    "An HTTPS or TLS listener uses a security policy outside the recommended TLS 1.3 ones, so clients may negotiate older protocols or weak ciphers. Switch it (ModifyListener --ssl-policy) to ELBSecurityPolicy-TLS13-1-2-2021-06, its Res/FIPS/1-3 variants, or their -PQ-2025-09 versions.",
  triggers: listenerTriggers,
  iamActions: listenerReadActions,
  undecided: (state) => {
    if (state.protocol === undefined) return "this call does not say the listener's protocol";
    if (TLS_PROTOCOLS.has(state.protocol) && state.sslPolicy === undefined)
      return "this call does not say the listener's security policy";
    return undefined;
  },
  evaluate: (state) =>
    state.protocol &&
    TLS_PROTOCOLS.has(state.protocol) &&
    state.sslPolicy &&
    !RECOMMENDED_SSL_POLICIES.has(state.sslPolicy)
      ? [
          {
            summary: `${state.protocol} listener on port ${state.port ?? "?"} uses security policy ${state.sslPolicy}, not a recommended one`,
            evidence: {
              listenerArn: state.listenerArn,
              loadBalancerArn: state.loadBalancerArn,
              protocol: state.protocol,
              port: state.port,
              sslPolicy: state.sslPolicy,
            },
          },
        ]
      : [],
});
