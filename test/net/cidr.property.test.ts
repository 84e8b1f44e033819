import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalCidr, cidrContains, isWorldOpen, parseCidr, sameNetwork } from "../../shared/net/cidr";

type Family = 4 | 6;
const BITS = { 4: 32, 6: 128 } as const;
const RUNS = { numRuns: 500 };

/** An address in any notation fast-check knows (compressed, embedded IPv4, upper case for IPv6). */
const address4 = fc.ipV4();
const address6 = fc
  .tuple(fc.ipV6(), fc.boolean())
  .map(([address, upper]) => (upper ? address.toUpperCase() : address));
const addressOf = (family: Family) => (family === 4 ? address4 : address6);

interface Sample {
  family: Family;
  address: string;
  prefix: number;
  cidr: string;
}

const sampleOf = (family: Family): fc.Arbitrary<Sample> =>
  fc
    .tuple(addressOf(family), fc.integer({ min: 0, max: BITS[family] }))
    .map(([address, prefix]) => ({ family, address, prefix, cidr: `${address}/${prefix}` }));

const anySample = fc.oneof(sampleOf(4), sampleOf(6));

/** Independent oracle: Node's BlockList, fed with the network address and prefix. */
function blockFor(family: Family, canonical: string): BlockList {
  const [network = "", prefix = ""] = canonical.split("/");
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), family === 4 ? "ipv4" : "ipv6");
  return list;
}

/** Independent oracle for RFC 5952 text: the WHATWG URL parser's IPv6 serialisation. */
function urlHost6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function canonicalOf(cidr: string): string {
  const canonical = canonicalCidr(cidr);
  if (canonical === undefined) throw new Error(`${cidr} should be valid`);
  return canonical;
}

describe("canonicalCidr properties", () => {
  it("accepts every valid address/prefix and keeps the prefix", () => {
    fc.assert(
      fc.property(anySample, ({ family, cidr, prefix }) => {
        expect(parseCidr(cidr)).toMatchObject({ family, prefix });
        expect(canonicalOf(cidr).endsWith(`/${prefix}`)).toBe(true);
      }),
      RUNS,
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(anySample, ({ cidr }) => {
        const once = canonicalOf(cidr);
        expect(canonicalCidr(once)).toBe(once);
        expect(parseCidr(once)).toEqual(parseCidr(cidr));
      }),
      RUNS,
    );
  });

  it("names the network that contains the original address", () => {
    fc.assert(
      fc.property(anySample, ({ family, address, cidr }) => {
        const canonical = canonicalOf(cidr);
        expect(cidrContains(canonical, address)).toBe(true);
        expect(cidrContains(cidr, address)).toBe(true);
        expect(blockFor(family, canonical).check(address, family === 4 ? "ipv4" : "ipv6")).toBe(true);
      }),
      RUNS,
    );
  });

  it("agrees with BlockList on which other addresses the network contains", () => {
    const withProbe = fc.oneof(fc.tuple(sampleOf(4), address4), fc.tuple(sampleOf(6), address6));
    fc.assert(
      fc.property(withProbe, ([{ family, cidr }, probe]) => {
        const expected = blockFor(family, canonicalOf(cidr)).check(probe, family === 4 ? "ipv4" : "ipv6");
        expect(cidrContains(cidr, probe)).toBe(expected);
      }),
      RUNS,
    );
  });

  it("writes a host route exactly as the URL parser serialises the address", () => {
    fc.assert(
      fc.property(address6, (address) => {
        expect(canonicalCidr(`${address}/128`)).toBe(`${urlHost6(address)}/128`);
        expect(canonicalCidr(address)).toBe(`${urlHost6(address)}/128`);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(address4, (address) => {
        expect(canonicalCidr(`${address}/32`)).toBe(`${address}/32`);
      }),
      RUNS,
    );
  });

  it("writes the network address with every host bit cleared", () => {
    fc.assert(
      fc.property(anySample, ({ family, prefix, cidr }) => {
        const network = parseCidr(cidr);
        const hostMask = (1n << BigInt(BITS[family] - prefix)) - 1n;
        expect(network === undefined ? -1n : network.address & hostMask).toBe(0n);
        const [text = ""] = canonicalOf(cidr).split("/");
        if (family === 6) expect(text).toBe(urlHost6(text));
      }),
      RUNS,
    );
  });
});

describe("isWorldOpen properties", () => {
  it("holds exactly when the prefix is 0", () => {
    fc.assert(
      fc.property(anySample, ({ cidr, prefix }) => {
        expect(isWorldOpen(cidr)).toBe(prefix === 0);
      }),
      RUNS,
    );
  });

  it("a /0 contains every address of its family and none of the other", () => {
    fc.assert(
      fc.property(sampleOf(4), address4, address6, (sample, v4, v6) => {
        const world = `${sample.address}/0`;
        expect(canonicalCidr(world)).toBe("0.0.0.0/0");
        expect(cidrContains(world, v4)).toBe(true);
        expect(cidrContains(world, `${v4}/${sample.prefix}`)).toBe(true);
        expect(cidrContains(world, v6)).toBe(false);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(sampleOf(6), address4, address6, (sample, v4, v6) => {
        const world = `${sample.address}/0`;
        expect(canonicalCidr(world)).toBe("::/0");
        expect(cidrContains(world, v6)).toBe(true);
        expect(cidrContains(world, `${v6}/${sample.prefix}`)).toBe(true);
        expect(cidrContains(world, v4)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe("cidrContains properties", () => {
  it("is reflexive, also between a CIDR and its canonical form", () => {
    fc.assert(
      fc.property(anySample, ({ cidr }) => {
        const canonical = canonicalOf(cidr);
        expect(cidrContains(cidr, cidr)).toBe(true);
        expect(cidrContains(cidr, canonical)).toBe(true);
        expect(cidrContains(canonical, cidr)).toBe(true);
      }),
      RUNS,
    );
  });

  it("nests networks of one address: wider contains narrower, transitively, and never the reverse", () => {
    const nested = fc.oneof(
      fc.tuple(address4, fc.uniqueArray(fc.integer({ min: 0, max: 32 }), { minLength: 3, maxLength: 3 })),
      fc.tuple(address6, fc.uniqueArray(fc.integer({ min: 0, max: 128 }), { minLength: 3, maxLength: 3 })),
    );
    fc.assert(
      fc.property(nested, ([address, prefixes]) => {
        const [a, b, c] = [...prefixes].sort((x, y) => x - y).map((p) => `${address}/${p}`) as [
          string,
          string,
          string,
        ];
        expect(cidrContains(a, b)).toBe(true);
        expect(cidrContains(b, c)).toBe(true);
        expect(cidrContains(a, c)).toBe(true);
        expect(cidrContains(b, a)).toBe(false);
        expect(cidrContains(c, b)).toBe(false);
        expect(cidrContains(c, a)).toBe(false);
      }),
      RUNS,
    );
  });

  it("is transitive over arbitrary triples", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(sampleOf(4), sampleOf(4), sampleOf(4)),
          fc.tuple(sampleOf(6), sampleOf(6), sampleOf(6)),
        ),
        ([x, y, z]) => {
          if (cidrContains(x.cidr, y.cidr) && cidrContains(y.cidr, z.cidr)) {
            expect(cidrContains(x.cidr, z.cidr)).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it("holds both ways exactly for the same network", () => {
    fc.assert(
      fc.property(anySample, anySample, (x, y) => {
        const both = cidrContains(x.cidr, y.cidr) && cidrContains(y.cidr, x.cidr);
        expect(both).toBe(sameNetwork(x.cidr, y.cidr));
      }),
      RUNS,
    );
  });
});

describe("sameNetwork properties", () => {
  it("is symmetric and agrees with canonical equality", () => {
    fc.assert(
      fc.property(anySample, anySample, (x, y) => {
        expect(sameNetwork(x.cidr, y.cidr)).toBe(sameNetwork(y.cidr, x.cidr));
        expect(sameNetwork(x.cidr, y.cidr)).toBe(canonicalOf(x.cidr) === canonicalOf(y.cidr));
      }),
      RUNS,
    );
  });

  it("relates a CIDR to itself, to its canonical form and to the same prefix on any address inside it", () => {
    fc.assert(
      fc.property(anySample, ({ family, address, prefix, cidr }) => {
        expect(sameNetwork(cidr, cidr)).toBe(true);
        expect(sameNetwork(cidr, canonicalOf(cidr))).toBe(true);
        const [network = ""] = canonicalOf(cidr).split("/");
        expect(sameNetwork(`${network}/${prefix}`, `${address}/${prefix}`)).toBe(true);
        if (prefix < BITS[family]) expect(sameNetwork(cidr, `${address}/${prefix + 1}`)).toBe(false);
      }),
      RUNS,
    );
  });
});
