import type { ResourceRef } from "../../core/resource";
import { UnusableEventError } from "../adapter";
import type { LoadBalancerType } from "./state";

export const LISTENER_TYPE = "AWS::ElasticLoadBalancingV2::Listener";

/** `arn:aws:elasticloadbalancing:<region>:<account>:listener/<app|net|gwy>/<lb-name>/<lb-id>/<listener-id>` */
const LISTENER_ARN =
  /^arn:(aws[a-z-]*):elasticloadbalancing:([a-z0-9-]+):(\d{12}):listener\/(app|net|gwy)\/([A-Za-z0-9-]{1,32})\/([0-9a-f]+)\/([0-9a-f]+)$/;
/** A rule's ARN is its listener's with `listener-rule/` and one more id segment. */
const RULE_ARN =
  /^(arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:)listener-rule\/((?:app|net|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+\/[0-9a-f]+)\/[0-9a-f]+$/;

const TYPES: Record<string, LoadBalancerType> = { app: "application", net: "network", gwy: "gateway" };

export interface ListenerIdentity {
  listenerArn: string;
  loadBalancerArn: string;
  loadBalancerType: LoadBalancerType;
  loadBalancerName: string;
  account: string;
  region: string;
}

/** Everything the listener's ARN says: its load balancer (ARN, type, name), account and region. */
export function listenerIdentity(listenerArn: string): ListenerIdentity {
  const match = LISTENER_ARN.exec(listenerArn);
  if (!match) throw new UnusableEventError(`"${listenerArn}" is not an ELBv2 listener ARN`);
  const [, partition = "", region = "", account = "", kind = "", name = "", lbId = ""] = match;
  return {
    listenerArn,
    loadBalancerArn: `arn:${partition}:elasticloadbalancing:${region}:${account}:loadbalancer/${kind}/${name}/${lbId}`,
    loadBalancerType: TYPES[kind] ?? "application",
    loadBalancerName: name,
    account,
    region,
  };
}

/** The listener a rule belongs to (ModifyRule and DeleteRule name only the rule). */
export function listenerArnOfRule(ruleArn: string): string {
  const match = RULE_ARN.exec(ruleArn);
  if (!match) throw new UnusableEventError(`"${ruleArn}" is not an ELBv2 listener rule ARN`);
  return `${match[1]}listener/${match[2]}`;
}

/** The finding's resource id is the listener ARN; its name says which load balancer and port. */
export function listenerRef(identity: ListenerIdentity, port?: number): ResourceRef {
  return {
    type: LISTENER_TYPE,
    id: identity.listenerArn,
    arn: identity.listenerArn,
    account: identity.account,
    region: identity.region,
    name: port === undefined ? identity.loadBalancerName : `${identity.loadBalancerName}:${port}`,
  };
}
