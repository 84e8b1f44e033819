import { canonicalCidr, isWorldOpen } from "../../net/cidr";
import { formatPortRange, reachesPort } from "../../net/ports";
import type { IngressRule, SecurityGroupState } from "../../resources/security-group/state";
import type { CloudTrailTrigger, CheckTriggers, Violation } from "../define";

/** Every CloudTrail call that can add or widen an ingress rule, and the Config type that records groups. */
export const securityGroupIngressTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: "ec2.amazonaws.com",
      eventNames: ["AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules"],
    } satisfies CloudTrailTrigger,
  ],
  config: ["AWS::EC2::SecurityGroup"],
};

/** Reading tags (exemptions) and rule ids (remediation) is all the checks need beyond the event. */
export const securityGroupReadActions = ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"];

export interface WorldOpenRule {
  rule: IngressRule;
  family: 4 | 6;
  /** Canonical CIDR (`0.0.0.0/0` or `::/0`). */
  cidr: string;
}

/** Ingress rules whose source is a CIDR covering the whole IPv4 or IPv6 internet. Prefix lists and groups never are. */
export function worldOpenRules(state: SecurityGroupState, family?: 4 | 6): WorldOpenRule[] {
  const open: WorldOpenRule[] = [];
  for (const rule of state.ingress) {
    const { source } = rule;
    if (source.kind !== "cidr4" && source.kind !== "cidr6") continue;
    if (!isWorldOpen(source.cidr)) continue;
    const ruleFamily = source.kind === "cidr4" ? 4 : 6;
    if (family && family !== ruleFamily) continue;
    open.push({ rule, family: ruleFamily, cidr: canonicalCidr(source.cidr) ?? source.cidr });
  }
  return open;
}

/** A violation naming the rule and the ports of concern; the rule is kept whole for remediation and undo. */
export function ingressViolation(
  open: WorldOpenRule,
  groupId: string,
  concern: string,
  ports?: number[],
): Violation {
  return {
    summary: `${groupId} allows ${formatPortRange(open.rule)} from ${open.cidr} (${concern})`,
    evidence: { rule: open.rule, ...(ports?.length ? { ports } : {}) },
    cidr: open.cidr,
  };
}

/** The listed ports a world-open rule reaches over `protocols`. */
export function exposedPorts(
  rule: IngressRule,
  ports: readonly number[],
  protocols: readonly ("tcp" | "udp")[],
) {
  return ports.filter((port) => protocols.some((protocol) => reachesPort(rule, protocol, port)));
}
