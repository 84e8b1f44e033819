import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCidr, type Network } from "../../shared/net/cidr";
import { coversFamily, worldOpenIngress, type Exposure } from "../../shared/resources/network-acl/exposure";
import type { AclEntry } from "../../shared/resources/network-acl/state";

const RUNS = { numRuns: 300 };
const PORTS = [22, 3389];
const BITS = { 4: 32n, 6: 128n } as const;

// Biased towards what makes shadowing interesting: whole-internet sources, halves and quarters of
// the space that only cover it together, TCP/UDP/all, and port ranges around 22 and 3389.
const randomCidr4 = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
  .map(([n, prefix]) => `${[24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".")}/${prefix}`);
const cidr4 = fc.oneof(
  { weight: 3, arbitrary: fc.constant("0.0.0.0/0") },
  {
    weight: 3,
    arbitrary: fc.constantFrom("0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/2", "64.0.0.0/2", "10.0.0.0/8"),
  },
  { weight: 2, arbitrary: randomCidr4 },
);
const cidr6 = fc.oneof(
  { weight: 2, arbitrary: fc.constant("::/0") },
  { weight: 2, arbitrary: fc.constantFrom("::/1", "8000::/1", "::/2", "4000::/2", "2001:db8::/32") },
);
const cidr = fc.oneof({ weight: 3, arbitrary: cidr4 }, { weight: 1, arbitrary: cidr6 });
const protocol = fc.oneof(
  { weight: 3, arbitrary: fc.constant("6") },
  { weight: 2, arbitrary: fc.constant("17") },
  { weight: 2, arbitrary: fc.constant("-1") },
  { weight: 1, arbitrary: fc.constantFrom("1", "58", "47") },
);
const ports = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<[number, number]>([22, 22], [3389, 3389], [0, 65535], [1024, 65535], [20, 25]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }))
      .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
  },
);

const entryArb = (ruleNumber: number): fc.Arbitrary<AclEntry> =>
  fc
    .record({
      egress: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      protocol,
      action: fc.constantFrom<"allow" | "deny">("allow", "deny"),
      cidr,
      ports,
    })
    .map(({ ports: [from, to], ...e }) => ({
      ruleNumber,
      ...e,
      ...(e.protocol === "6" || e.protocol === "17" ? { fromPort: from, toPort: to } : {}),
    }));

/** An ACL: distinct rule numbers per direction, like AWS, in random order. */
const aclArb = fc
  .uniqueArray(fc.integer({ min: 2, max: 400 }), { maxLength: 12 })
  .chain((numbers) => fc.tuple(...numbers.map(entryArb)))
  .chain((entries) => fc.shuffledSubarray(entries, { minLength: entries.length }));

// ----- An independent model of how a network ACL decides, probed at the addresses that matter. -----

function net(cidr: string): Network {
  const n = parseCidr(cidr);
  if (!n) throw new Error(`bad test CIDR ${cidr}`);
  return n;
}
const end = (n: Network) => n.address + (1n << (BITS[n.family] - BigInt(n.prefix))) - 1n;
const holds = (n: Network, family: 4 | 6, address: bigint) =>
  n.family === family && address >= n.address && address <= end(n);

function matches(e: AclEntry, protocol: "tcp" | "udp", port: number): boolean {
  if (e.protocol === "-1") return true;
  if (e.protocol !== (protocol === "tcp" ? "6" : "17")) return false;
  return e.fromPort === undefined || (port >= e.fromPort && port <= (e.toPort ?? e.fromPort));
}

/**
 * Where coverage can first fail: address 0 and the address right after each network. If some
 * address of the family is matched by none of the networks, the lowest such address is one of these.
 */
function probes(entries: readonly AclEntry[], family: 4 | 6): bigint[] {
  const after = entries
    .map((e) => net(e.cidr))
    .filter((n) => n.family === family)
    .map((n) => end(n) + 1n)
    .filter((a) => a < 1n << BITS[family]);
  return [0n, ...after];
}

/** The entry a packet from `address` hits first, or undefined (the implicit deny). */
function decide(
  entries: readonly AclEntry[],
  family: 4 | 6,
  address: bigint,
  protocol: "tcp" | "udp",
  port: number,
) {
  return [...entries]
    .filter((e) => !e.egress)
    .sort((a, b) => a.ruleNumber - b.ruleNumber)
    .find((e) => holds(net(e.cidr), family, address) && matches(e, protocol, port));
}

/** Every (rule, protocol, port) for which some internet address is let in by a world-open allow. */
function modelExposures(entries: readonly AclEntry[]): string[] {
  const found = new Set<string>();
  for (const family of [4, 6] as const)
    for (const address of probes(entries, family))
      for (const protocol of ["tcp", "udp"] as const)
        for (const port of PORTS) {
          const first = decide(entries, family, address, protocol, port);
          if (first?.action === "allow" && net(first.cidr).prefix === 0)
            found.add(`${first.ruleNumber}|${protocol}|${port}`);
        }
  return [...found].sort();
}

const flat = (result: ReturnType<typeof worldOpenIngress>) =>
  result
    .flatMap((r) => r.exposures.map((x: Exposure) => `${r.entry.ruleNumber}|${x.protocol}|${x.port}`))
    .sort();

describe("network ACL exposure (first match wins, in rule-number order)", () => {
  it("agrees with a first-match simulation of the ACL at every address where coverage can change", () => {
    fc.assert(
      fc.property(aclArb, (entries) => {
        expect(flat(worldOpenIngress(entries, PORTS))).toEqual(modelExposures(entries));
      }),
      RUNS,
    );
  });

  it("reports only ingress allow entries from 0.0.0.0/0 or ::/0, for traffic they match", () => {
    fc.assert(
      fc.property(aclArb, (entries) => {
        for (const { entry, exposures } of worldOpenIngress(entries, PORTS)) {
          expect(entries).toContain(entry);
          expect(entry).toMatchObject({ egress: false, action: "allow" });
          expect(net(entry.cidr).prefix).toBe(0);
          for (const x of exposures) expect(matches(entry, x.protocol, x.port)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("an allow shadowed by a lower-numbered deny of all traffic from the whole family is never reported", () => {
    fc.assert(
      fc.property(aclArb, fc.constantFrom("0.0.0.0/0", "::/0"), (entries, world) => {
        const family = world.includes(":") ? 6 : 4;
        const deny: AclEntry = { ruleNumber: 1, egress: false, protocol: "-1", action: "deny", cidr: world };
        const reported = worldOpenIngress([deny, ...entries], PORTS);
        expect(reported.filter((r) => net(r.entry.cidr).family === family)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("the order entries are listed in, and egress entries, change nothing", () => {
    fc.assert(
      fc.property(aclArb, aclArb, (entries, extra) => {
        const base = flat(worldOpenIngress(entries, PORTS));
        const used = new Set(entries.filter((e) => e.egress).map((e) => e.ruleNumber));
        const egress = extra.map((e) => ({ ...e, egress: true })).filter((e) => !used.has(e.ruleNumber));
        expect(flat(worldOpenIngress([...entries].reverse(), PORTS))).toEqual(base);
        expect(flat(worldOpenIngress([...entries, ...egress], PORTS))).toEqual(base);
      }),
      RUNS,
    );
  });

  it("removing any other entry never hides an exposure (fewer entries in front, more reaches through)", () => {
    fc.assert(
      fc.property(aclArb, fc.nat(), (entries, pick) => {
        fc.pre(entries.length > 0);
        const removed = entries[pick % entries.length];
        const before = flat(worldOpenIngress(entries, PORTS)).filter(
          (key) => Number(key.split("|")[0]) !== removed?.ruleNumber || removed.egress,
        );
        const after = flat(
          worldOpenIngress(
            entries.filter((e) => e !== removed),
            PORTS,
          ),
        );
        for (const key of before) expect(after).toContain(key);
      }),
      RUNS,
    );
  });

  it("coversFamily finds a one-address hole anywhere (the networks that hold every address but one)", () => {
    const hole = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((a) => ({ family: 4 as const, a })),
      fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((a) => ({ family: 6 as const, a })),
      fc.constantFrom({ family: 4 as const, a: 0n }, { family: 4 as const, a: (1n << 32n) - 1n }),
    );
    fc.assert(
      fc.property(hole, ({ family, a }) => {
        const bits = BITS[family];
        // For each prefix length k: the /k network that agrees with `a` on k-1 bits and differs on bit k.
        const rest: Network[] = [];
        for (let k = 1n; k <= bits; k++) {
          const flipped = a ^ (1n << (bits - k));
          const address = (flipped >> (bits - k)) << (bits - k);
          rest.push({ family, address, prefix: Number(k) });
        }
        expect(coversFamily(rest, family)).toBe(false);
        expect(coversFamily([...rest, { family, address: a, prefix: Number(bits) }], family)).toBe(true);
        expect(coversFamily([...rest].reverse(), family)).toBe(false);
      }),
      RUNS,
    );
  });

  it("coversFamily is true exactly when every probe address lies in some network", () => {
    const networks = fc.array(fc.oneof(cidr4, cidr6), { maxLength: 8 }).map((list) => list.map(net));
    fc.assert(
      fc.property(networks, (list) => {
        for (const family of [4, 6] as const) {
          const pts = [0n, ...list.filter((n) => n.family === family).map((n) => end(n) + 1n)].filter(
            (a) => a < 1n << BITS[family],
          );
          const model = pts.every((a) => list.some((n) => holds(n, family, a)));
          expect(coversFamily(list, family)).toBe(model);
        }
      }),
      RUNS,
    );
  });
});
