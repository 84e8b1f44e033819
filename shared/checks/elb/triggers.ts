import type { CheckTriggers } from "../define";

const SOURCE = "elasticloadbalancing.amazonaws.com";
const LISTENER_CONFIG = "AWS::ElasticLoadBalancingV2::Listener";

/** Calls that set a listener's protocol, security policy or default action, or remove it. */
export const listenerTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["CreateListener", "ModifyListener", "DeleteListener"] }],
  config: [LISTENER_CONFIG],
};

/** ELB.1 judges every rule of an HTTP listener, so rule changes count too. */
export const listenerAndRuleTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: SOURCE,
      eventNames: [
        "CreateListener",
        "ModifyListener",
        "DeleteListener",
        "CreateRule",
        "ModifyRule",
        "DeleteRule",
      ],
    },
  ],
  config: [LISTENER_CONFIG],
};

/**
 * Reads the listener adapter makes: DescribeTags (load balancer and listener, for exemptions),
 * DescribeListeners and DescribeRules (refresh after rule changes, or when ELB.1 needs the rules).
 */
export const listenerReadActions = [
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeRules",
];
