import { canonicalCidr } from "../../net/cidr";
import { formatPortRange, hasPortRange, normaliseProtocol } from "../../net/ports";
import type { RuleProtocol } from "../security-group/state";
import type { AclEntry } from "./state";

/** Network ACLs store protocols as IANA numbers; callers may write names (`tcp`) or numbers (`6`). */
const PROTOCOL_NUMBERS: Record<string, string> = { all: "-1", tcp: "6", udp: "17", icmp: "1", icmpv6: "58" };

export function aclProtocolNumber(raw: string | number): string {
  const name = normaliseProtocol(raw);
  return Object.hasOwn(PROTOCOL_NUMBERS, name) ? (PROTOCOL_NUMBERS[name] ?? name) : name;
}

/** The entry's protocol by name (`tcp`, `all`, …), as the shared port helpers take it. */
export function protocolName(entry: Pick<AclEntry, "protocol">): RuleProtocol {
  return normaliseProtocol(entry.protocol);
}

function integer(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

export interface EntryParts {
  ruleNumber: number;
  egress: boolean;
  protocol: string | number;
  action: "allow" | "deny";
  /** `CidrBlock` and `Ipv6CidrBlock`: an entry has exactly one. */
  cidrBlock?: string | null | undefined;
  ipv6CidrBlock?: string | null | undefined;
  fromPort?: unknown;
  toPort?: unknown;
  icmpType?: unknown;
  icmpCode?: unknown;
}

/**
 * A normalised entry from what every source (CloudTrail, Config, the EC2 API) provides, or a reason
 * it can't be one. Ports are kept for TCP/UDP only and ICMP type/code for ICMP only: EC2 ignores
 * the others, so keeping them would make equal entries look different.
 */
export function makeEntry(parts: EntryParts): AclEntry | string {
  const cidrs = [parts.cidrBlock, parts.ipv6CidrBlock].filter(
    (c): c is string => typeof c === "string" && !!c,
  );
  if (cidrs.length !== 1)
    return `rule ${parts.ruleNumber} must have exactly one of cidrBlock and ipv6CidrBlock`;
  const [given = ""] = cidrs;
  const cidr = canonicalCidr(given);
  if (!cidr) return `rule ${parts.ruleNumber}: "${given}" is not a CIDR block`;
  const protocol = aclProtocolNumber(parts.protocol);
  const name = normaliseProtocol(protocol);
  const fromPort = hasPortRange(name) ? integer(parts.fromPort) : undefined;
  const toPort = hasPortRange(name) ? integer(parts.toPort) : undefined;
  const isIcmp = name === "icmp" || name === "icmpv6";
  const icmpType = isIcmp ? integer(parts.icmpType) : undefined;
  const icmpCode = isIcmp ? integer(parts.icmpCode) : undefined;
  return {
    ruleNumber: parts.ruleNumber,
    egress: parts.egress,
    protocol,
    action: parts.action,
    cidr,
    ...(fromPort !== undefined ? { fromPort } : {}),
    ...(toPort !== undefined ? { toPort } : {}),
    ...(icmpType !== undefined ? { icmpType } : {}),
    ...(icmpCode !== undefined ? { icmpCode } : {}),
  };
}

/** Everything that makes an entry what it is; two entries with the same key match the same traffic the same way. */
export function entryKey(entry: AclEntry): string {
  const { ruleNumber, egress, protocol, action, cidr, fromPort, toPort, icmpType, icmpCode } = entry;
  return JSON.stringify([
    ruleNumber,
    egress,
    aclProtocolNumber(protocol),
    action,
    canonicalCidr(cidr) ?? cidr,
    fromPort ?? null,
    toPort ?? null,
    icmpType ?? null,
    icmpCode ?? null,
  ]);
}

/** e.g. `ingress rule 90: allow tcp 22 from 0.0.0.0/0`. */
export function describeEntry(entry: AclEntry): string {
  const name = protocolName(entry);
  const what = name === "icmp" || name === "icmpv6" ? name : formatPortRange({ ...entry, protocol: name });
  return `${entry.egress ? "egress" : "ingress"} rule ${entry.ruleNumber}: ${entry.action} ${what} ${entry.egress ? "to" : "from"} ${entry.cidr}`;
}
