import { z } from "zod";

/** Protocols after normalisation: names for the common ones, the IANA number otherwise. */
export const ruleProtocolSchema = z.union([z.enum(["tcp", "udp", "icmp", "icmpv6", "all"]), z.string()]);
export type RuleProtocol = z.infer<typeof ruleProtocolSchema>;

export const ruleSourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("cidr4"), cidr: z.string() }),
  z.object({ kind: z.literal("cidr6"), cidr: z.string() }),
  z.object({ kind: z.literal("group"), groupId: z.string(), userId: z.string().optional() }),
  z.object({ kind: z.literal("prefix-list"), prefixListId: z.string() }),
]);
export type RuleSource = z.infer<typeof ruleSourceSchema>;

/**
 * One ingress rule: one protocol, one port range, one source — the granularity of a
 * security-group rule id. `fromPort`/`toPort` are undefined when the protocol has no ports
 * (all traffic, or a protocol other than TCP/UDP/ICMP).
 */
export const ingressRuleSchema = z.object({
  protocol: ruleProtocolSchema,
  fromPort: z.number().int().optional(),
  toPort: z.number().int().optional(),
  source: ruleSourceSchema,
  ruleId: z.string().optional(),
  description: z.string().optional(),
});
export type IngressRule = z.infer<typeof ingressRuleSchema>;

/** One egress rule: the same shape as an ingress rule, where `source` is the traffic's destination. */
export type EgressRule = IngressRule;

export interface SecurityGroupState {
  groupId: string;
  /** `default` names a VPC's default group (AWS reserves the name: no other group can take it). */
  groupName?: string;
  vpcId?: string;
  ownerId?: string;
  /** Tags when the source carried them (Config items do; CloudTrail events don't). */
  tags?: Record<string, string>;
  ingress: IngressRule[];
  /** Outbound rules; undefined when the source says nothing about them (an ingress event). */
  egress?: EgressRule[];
  /**
   * What the refresh must read (see `Observation.needsRefresh`): the given rule ids (default), or
   * the whole group (name, tags, every rule) when the event may concern a VPC's default group.
   */
  confirm?: "rule-ids" | "whole-group";
}
