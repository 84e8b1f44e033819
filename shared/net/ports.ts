import type { IngressRule, RuleProtocol } from "../resources/security-group/state";

const PROTOCOL_NAMES: Record<string, RuleProtocol> = {
  "-1": "all",
  all: "all",
  "6": "tcp",
  tcp: "tcp",
  "17": "udp",
  udp: "udp",
  "1": "icmp",
  icmp: "icmp",
  "58": "icmpv6",
  icmpv6: "icmpv6",
};

/** EC2 accepts `tcp`, `TCP`, `6`, `-1`, `all`, … and logs whichever the caller sent. */
export function normaliseProtocol(raw: string | number | undefined): RuleProtocol {
  const text = String(raw ?? "-1")
    .trim()
    .toLowerCase();
  // Own keys only: "constructor" or "__proto__" must not resolve to Object.prototype members.
  return Object.hasOwn(PROTOCOL_NAMES, text) ? (PROTOCOL_NAMES[text] ?? text) : text;
}

/** Only TCP and UDP rules carry a port range that limits them. */
export function hasPortRange(protocol: RuleProtocol): boolean {
  return protocol === "tcp" || protocol === "udp";
}

/**
 * The inclusive port range a rule opens for its protocol. All-traffic rules, TCP/UDP rules with
 * `-1`/missing ports and other protocols open every port: `[0, 65535]`.
 */
export function openPortRange(rule: Pick<IngressRule, "protocol" | "fromPort" | "toPort">): [number, number] {
  if (!hasPortRange(rule.protocol)) return [0, 65535];
  const from = rule.fromPort ?? -1;
  const to = rule.toPort ?? -1;
  if (from < 0 || to < 0) return [0, 65535];
  return [Math.max(0, Math.min(from, to)), Math.min(65535, Math.max(from, to))];
}

/** Does the rule let traffic of `protocol` reach `port`? (`all` rules reach every TCP and UDP port.) */
export function reachesPort(
  rule: Pick<IngressRule, "protocol" | "fromPort" | "toPort">,
  protocol: "tcp" | "udp",
  port: number,
): boolean {
  if (rule.protocol !== "all" && rule.protocol !== protocol) return false;
  const [from, to] = openPortRange(rule);
  return port >= from && port <= to;
}

/** Expands port specs (`443`, `"1020-1025"`) into inclusive ranges. */
export function portRanges(specs: readonly (number | string)[]): [number, number][] {
  return specs.map((spec) => {
    const [from = 0, to = from] = String(spec).split("-").map(Number);
    return [from, to];
  });
}

/** The sub-ranges of `[from, to]` not covered by `allowed` (sorted, merged). Empty when fully allowed. */
export function uncoveredRanges(
  from: number,
  to: number,
  allowed: readonly [number, number][],
): [number, number][] {
  const sorted = [...allowed].sort((a, b) => a[0] - b[0]);
  const gaps: [number, number][] = [];
  let cursor = from;
  for (const [a, b] of sorted) {
    if (b < cursor) continue;
    if (a > to) break;
    if (a > cursor) gaps.push([cursor, a - 1]);
    cursor = Math.max(cursor, b + 1);
    if (cursor > to) break;
  }
  if (cursor <= to) gaps.push([cursor, to]);
  return gaps;
}

export function formatPortRange(rule: Pick<IngressRule, "protocol" | "fromPort" | "toPort">): string {
  if (rule.protocol === "all") return "all traffic";
  if (!hasPortRange(rule.protocol)) return `protocol ${rule.protocol}`;
  const [from, to] = openPortRange(rule);
  if (from === 0 && to === 65535) return `${rule.protocol} all ports`;
  return from === to ? `${rule.protocol} ${from}` : `${rule.protocol} ${from}-${to}`;
}
