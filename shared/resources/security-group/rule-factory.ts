import { canonicalCidr } from "../../net/cidr";
import { hasPortRange, normaliseProtocol } from "../../net/ports";
import type { IngressRule, RuleSource } from "./state";

/** Ports arrive as numbers, numeric strings or -1; keep what limits the rule, drop what doesn't. */
function port(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

/** Builds a normalised rule from the pieces every source (CloudTrail, Config, the EC2 API) provides. */
export function makeRule(parts: {
  protocol: unknown;
  fromPort?: unknown;
  toPort?: unknown;
  source: RuleSource;
  ruleId?: string | undefined;
  description?: string | null | undefined;
}): IngressRule {
  const protocol = normaliseProtocol(parts.protocol as string | number | undefined);
  // Ports only mean something for TCP/UDP (a range) and ICMP (type/code); AWS ignores them otherwise.
  const keepPorts = hasPortRange(protocol) || protocol === "icmp" || protocol === "icmpv6";
  const fromPort = keepPorts ? port(parts.fromPort) : undefined;
  const toPort = keepPorts ? port(parts.toPort) : undefined;
  const source: RuleSource =
    parts.source.kind === "cidr4" || parts.source.kind === "cidr6"
      ? { ...parts.source, cidr: canonicalCidr(parts.source.cidr) ?? parts.source.cidr }
      : parts.source;
  return {
    protocol,
    ...(fromPort !== undefined ? { fromPort } : {}),
    ...(toPort !== undefined ? { toPort } : {}),
    source,
    ...(parts.ruleId ? { ruleId: parts.ruleId } : {}),
    ...(parts.description ? { description: parts.description } : {}),
  };
}

/** Identity of a rule by value (protocol, ports, source), for matching rules that arrive without ids. */
export function ruleKey(rule: IngressRule): string {
  const s = rule.source;
  const source =
    s.kind === "cidr4" || s.kind === "cidr6"
      ? `${s.kind}:${canonicalCidr(s.cidr) ?? s.cidr}`
      : s.kind === "group"
        ? `group:${s.groupId}`
        : `pl:${s.prefixListId}`;
  const [from, to] = hasPortRange(rule.protocol)
    ? [rule.fromPort ?? -1, rule.toPort ?? -1]
    : [rule.fromPort, rule.toPort];
  return `${rule.protocol}|${from ?? ""}|${to ?? ""}|${source}`;
}
