import { isWorldOpen, parseCidr, type Network } from "../../net/cidr";
import { reachesPort } from "../../net/ports";
import { protocolName } from "./entry";
import type { AclEntry } from "./state";

/** Traffic an entry lets in: one protocol to one port. */
export interface Exposure {
  protocol: "tcp" | "udp";
  port: number;
}

export interface WorldOpenEntry {
  entry: AclEntry;
  /** The (protocol, port) pairs for which this entry decides, for some address, that the traffic is allowed. */
  exposures: Exposure[];
}

const PROTOCOLS = ["tcp", "udp"] as const;
const BITS = { 4: 32n, 6: 128n } as const;

/** Does the entry match `protocol` traffic to `port`, from some source? (`-1` entries match every port.) */
export function matchesTraffic(entry: AclEntry, protocol: "tcp" | "udp", port: number): boolean {
  return reachesPort({ ...entry, protocol: protocolName(entry) }, protocol, port);
}

/** True when the networks together hold every address of the family (`0.0.0.0/0`, or `0.0.0.0/1` + `128.0.0.0/1`, …). */
export function coversFamily(networks: readonly Network[], family: 4 | 6): boolean {
  const bits = BITS[family];
  const ranges = networks
    .filter((n) => n.family === family)
    .map((n) => [n.address, n.address + (1n << (bits - BigInt(n.prefix))) - 1n] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = 0n;
  for (const [start, end] of ranges) {
    if (start > next) return false;
    if (end + 1n > next) next = end + 1n;
  }
  return next === 1n << bits;
}

/**
 * The ingress entries that allow traffic from the whole internet (`0.0.0.0/0`, `::/0`) to any of
 * `ports` over TCP or UDP, and for which traffic. Network ACLs apply the lowest-numbered matching
 * entry, so an entry only counts where the entries before it leave some address of its family
 * unmatched: an allow behind a deny (or allow) that covers all of that traffic decides nothing.
 * Pure; egress entries are ignored.
 */
export function worldOpenIngress(entries: readonly AclEntry[], ports: readonly number[]): WorldOpenEntry[] {
  const ingress = entries
    .filter((e) => !e.egress)
    .map((entry) => ({ entry, network: parseCidr(entry.cidr) }))
    .sort((a, b) => a.entry.ruleNumber - b.entry.ruleNumber);
  const found: WorldOpenEntry[] = [];
  for (const { entry, network } of ingress) {
    if (entry.action !== "allow" || !network || !isWorldOpen(entry.cidr)) continue;
    const exposures: Exposure[] = [];
    for (const protocol of PROTOCOLS) {
      for (const port of ports) {
        if (!matchesTraffic(entry, protocol, port)) continue;
        const before = ingress.flatMap((other) =>
          other.entry.ruleNumber < entry.ruleNumber &&
          other.network?.family === network.family &&
          matchesTraffic(other.entry, protocol, port)
            ? [other.network]
            : [],
        );
        if (!coversFamily(before, network.family)) exposures.push({ protocol, port });
      }
    }
    if (exposures.length) found.push({ entry, exposures });
  }
  return found;
}
