import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  normaliseProtocol,
  openPortRange,
  portRanges,
  reachesPort,
  uncoveredRanges,
} from "../../shared/net/ports";
import type { IngressRule } from "../../shared/resources/security-group/state";

const RUNS = { numRuns: 400 };
type Range = [number, number];

const rangeIn = (min: number, max: number): fc.Arbitrary<Range> =>
  fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => (a <= b ? [a, b] : [b, a]));

/** A query range and an allowed list over a small port space, small enough to check port by port. */
const smallCase = fc.record({
  range: rangeIn(0, 300),
  allowed: fc.array(rangeIn(0, 300), { maxLength: 8 }),
});

/** The same over the real port space; ports are probed at every boundary instead of exhaustively. */
const fullCase = fc.record({
  range: rangeIn(0, 65535),
  allowed: fc.array(
    fc.oneof(
      rangeIn(0, 65535),
      fc.integer({ min: 0, max: 65535 }).map((p): Range => [p, p]),
    ),
    {
      maxLength: 32,
    },
  ),
  probes: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 50 }),
});

const inAny = (port: number, ranges: readonly Range[]) => ranges.some(([a, b]) => port >= a && port <= b);

function expectWellFormed(gaps: Range[], [from, to]: Range) {
  gaps.forEach(([a, b], i) => {
    expect(Number.isInteger(a) && Number.isInteger(b)).toBe(true);
    expect(a).toBeLessThanOrEqual(b);
    expect(a).toBeGreaterThanOrEqual(from);
    expect(b).toBeLessThanOrEqual(to);
    const previous = gaps[i - 1];
    // Sorted, disjoint and merged: a gap never touches the previous one.
    if (previous) expect(a).toBeGreaterThan(previous[1] + 1);
  });
}

describe("uncoveredRanges properties", () => {
  it("gaps are exactly the ports of [from, to] that no allowed range covers (exhaustive, small space)", () => {
    fc.assert(
      fc.property(smallCase, ({ range, allowed }) => {
        const gaps = uncoveredRanges(range[0], range[1], allowed);
        expectWellFormed(gaps, range);
        for (let port = range[0]; port <= range[1]; port++) {
          expect(inAny(port, gaps)).toBe(!inAny(port, allowed));
        }
        expect(gaps.length === 0).toBe(isCovered(range, allowed));
      }),
      RUNS,
    );
  });

  it("gaps are exactly the uncovered ports at every boundary (full port space)", () => {
    fc.assert(
      fc.property(fullCase, ({ range, allowed, probes }) => {
        const gaps = uncoveredRanges(range[0], range[1], allowed);
        expectWellFormed(gaps, range);
        const edges = [...range, ...allowed.flat(), ...gaps.flat()].flatMap((p) => [p - 1, p, p + 1]);
        for (const port of [...edges, ...probes]) {
          if (port < range[0] || port > range[1]) continue;
          expect(inAny(port, gaps)).toBe(!inAny(port, allowed));
        }
      }),
      RUNS,
    );
  });

  it("does not depend on the order of the allowed ranges", () => {
    fc.assert(
      fc.property(
        fullCase.chain(({ range, allowed }) =>
          fc.tuple(
            fc.constant(range),
            fc.constant(allowed),
            fc.shuffledSubarray(allowed, { minLength: allowed.length }),
          ),
        ),
        ([range, allowed, shuffled]) => {
          expect(uncoveredRanges(range[0], range[1], shuffled)).toEqual(
            uncoveredRanges(range[0], range[1], allowed),
          );
        },
      ),
      RUNS,
    );
  });

  it("authorizing the gaps leaves nothing uncovered", () => {
    fc.assert(
      fc.property(fullCase, ({ range, allowed }) => {
        const gaps = uncoveredRanges(range[0], range[1], allowed);
        expect(uncoveredRanges(range[0], range[1], [...allowed, ...gaps])).toEqual([]);
        // Allowing only the gaps leaves uncovered exactly what the original list covered.
        expect(uncoveredRanges(range[0], range[1], gaps)).toEqual(complement(range, gaps));
      }),
      RUNS,
    );
  });

  it("portRanges round-trips single ports and dashed ranges", () => {
    fc.assert(
      fc.property(fc.array(rangeIn(0, 65535), { maxLength: 32 }), (ranges) => {
        const specs = ranges.map(([a, b]) => (a === b ? a : `${a}-${b}`));
        expect(portRanges(specs)).toEqual(ranges);
      }),
      RUNS,
    );
  });
});

function isCovered([from, to]: Range, allowed: readonly Range[]): boolean {
  for (let port = from; port <= to; port++) if (!inAny(port, allowed)) return false;
  return true;
}

/** Ports of `range` outside `gaps`, as ranges (gaps sorted and disjoint). */
function complement([from, to]: Range, gaps: readonly Range[]): Range[] {
  const out: Range[] = [];
  let cursor = from;
  for (const [a, b] of gaps) {
    if (a > cursor) out.push([cursor, a - 1]);
    cursor = b + 1;
  }
  if (cursor <= to) out.push([cursor, to]);
  return out;
}

const protocolArb = fc.constantFrom("tcp", "udp", "all", "icmp", "icmpv6", "50");
const portArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 65535 }) },
  { weight: 1, arbitrary: fc.constant(-1) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.integer({ min: -70000, max: 140000 }) },
);
const ruleArb: fc.Arbitrary<Pick<IngressRule, "protocol" | "fromPort" | "toPort">> = fc.record({
  protocol: protocolArb,
  fromPort: portArb,
  toPort: portArb,
});

/** Brute-force reading of a rule: which (protocol, port) pairs does it admit? */
function admits(
  rule: Pick<IngressRule, "protocol" | "fromPort" | "toPort">,
  protocol: "tcp" | "udp",
  port: number,
) {
  if (rule.protocol === "all") return true;
  if (rule.protocol !== protocol) return false;
  const { fromPort, toPort } = rule;
  if (fromPort === undefined || toPort === undefined || fromPort < 0 || toPort < 0) return true;
  return port >= Math.min(fromPort, toPort) && port <= Math.max(fromPort, toPort);
}

describe("reachesPort and openPortRange properties", () => {
  it("reachesPort agrees with the brute-force definition", () => {
    const probe = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 22, 3389, 65535));
    fc.assert(
      fc.property(ruleArb, fc.constantFrom<"tcp" | "udp">("tcp", "udp"), probe, (rule, protocol, port) => {
        expect(reachesPort(rule, protocol, port)).toBe(admits(rule, protocol, port));
      }),
      { numRuns: 2000 },
    );
  });

  it("reachesPort agrees at the edges of the rule's own range", () => {
    fc.assert(
      fc.property(ruleArb, fc.constantFrom<"tcp" | "udp">("tcp", "udp"), (rule, protocol) => {
        const edges = [rule.fromPort ?? 0, rule.toPort ?? 0].flatMap((p) => [p - 1, p, p + 1]);
        for (const port of edges.filter((p) => p >= 0 && p <= 65535)) {
          expect(reachesPort(rule, protocol, port)).toBe(admits(rule, protocol, port));
        }
      }),
      RUNS,
    );
  });

  it("openPortRange lies inside 0-65535 and holds exactly the ports a TCP/UDP rule admits", () => {
    fc.assert(
      fc.property(ruleArb, (rule) => {
        const [from, to] = openPortRange(rule);
        expect(from).toBeGreaterThanOrEqual(0);
        expect(to).toBeLessThanOrEqual(65535);
        if (rule.protocol !== "tcp" && rule.protocol !== "udp") {
          expect([from, to]).toEqual([0, 65535]);
          return;
        }
        const edges = [from, to, rule.fromPort ?? 0, rule.toPort ?? 0, 0, 65535].flatMap((p) => [
          p - 1,
          p,
          p + 1,
        ]);
        for (const port of edges.filter((p) => p >= 0 && p <= 65535)) {
          expect(port >= from && port <= to).toBe(admits(rule, rule.protocol, port));
        }
      }),
      RUNS,
    );
  });
});

describe("normaliseProtocol properties", () => {
  it("is idempotent, case-insensitive and always returns a string", () => {
    const raw = fc.oneof(
      fc.constantFrom("tcp", "TCP", "6", "udp", "17", "-1", "all", "icmp", "1", "58", "icmpv6", "50"),
      fc.integer({ min: -1, max: 255 }),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(raw, (value) => {
        const once = normaliseProtocol(value);
        expect(typeof once).toBe("string");
        expect(normaliseProtocol(once)).toBe(once);
        expect(normaliseProtocol(String(value).toUpperCase())).toBe(
          normaliseProtocol(String(value).toLowerCase()),
        );
      }),
      RUNS,
    );
  });
});
