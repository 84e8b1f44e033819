import { z } from "zod";
import { formatPortRange } from "../../net/ports";
import { ingressRuleSchema, type IngressRule } from "./state";

export const directionSchema = z.enum(["ingress", "egress"]);
export type Direction = z.infer<typeof directionSchema>;

/** A rule with its direction: the evidence EC2.2 stores and the default-group remediation reads back. */
export const directedRuleSchema = z.object({ direction: directionSchema, rule: ingressRuleSchema });
export type DirectedRule = z.infer<typeof directedRuleSchema>;

/** "inbound all traffic from sg-0a… (sgr-0b…)", "outbound tcp 443 to 0.0.0.0/0". */
export function describeDirectedRule({
  direction,
  rule,
}: {
  direction: Direction;
  rule: IngressRule;
}): string {
  const s = rule.source;
  const peer =
    s.kind === "cidr4" || s.kind === "cidr6" ? s.cidr : s.kind === "group" ? s.groupId : s.prefixListId;
  const way =
    direction === "ingress"
      ? `inbound ${formatPortRange(rule)} from`
      : `outbound ${formatPortRange(rule)} to`;
  return `${way} ${peer}${rule.ruleId ? ` (${rule.ruleId})` : ""}`;
}
