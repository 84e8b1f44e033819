import { describe, expect, it } from "vitest";
import {
  formatPortRange,
  hasPortRange,
  normaliseProtocol,
  openPortRange,
  portRanges,
  reachesPort,
  uncoveredRanges,
} from "../../shared/net/ports";
import type { IngressRule } from "../../shared/resources/security-group/state";

type PortsOf = Pick<IngressRule, "protocol" | "fromPort" | "toPort">;
const tcp = (fromPort?: number, toPort?: number): PortsOf => ({ protocol: "tcp", fromPort, toPort });
const udp = (fromPort?: number, toPort?: number): PortsOf => ({ protocol: "udp", fromPort, toPort });

describe("normaliseProtocol", () => {
  it.each<[string | number | undefined, string]>([
    ["6", "tcp"],
    [6, "tcp"],
    ["tcp", "tcp"],
    ["TCP", "tcp"],
    [" Tcp ", "tcp"],
    ["17", "udp"],
    [17, "udp"],
    ["UDP", "udp"],
    [-1, "all"],
    ["-1", "all"],
    ["all", "all"],
    ["ALL", "all"],
    [undefined, "all"],
    ["1", "icmp"],
    [1, "icmp"],
    ["ICMP", "icmp"],
    ["58", "icmpv6"],
    ["icmpv6", "icmpv6"],
    ["ICMPv6", "icmpv6"],
    ["50", "50"],
    [50, "50"],
    ["47", "47"],
    ["132", "132"],
    ["esp", "esp"],
  ])("%j -> %j", (raw, expected) => {
    expect(normaliseProtocol(raw)).toBe(expected);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"])(
    "leaves the object-prototype name %j as the plain string it is",
    (raw) => {
      expect(normaliseProtocol(raw)).toBe(raw.toLowerCase());
    },
  );
});

describe("hasPortRange", () => {
  it("is true only for TCP and UDP", () => {
    expect(["tcp", "udp", "all", "icmp", "icmpv6", "50", "-1"].map(hasPortRange)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("openPortRange", () => {
  it("opens every port for all-traffic, ICMP and other protocols whatever their ports say", () => {
    expect(openPortRange({ protocol: "all" })).toEqual([0, 65535]);
    expect(openPortRange({ protocol: "all", fromPort: 22, toPort: 22 })).toEqual([0, 65535]);
    expect(openPortRange({ protocol: "icmp", fromPort: 8, toPort: 0 })).toEqual([0, 65535]);
    expect(openPortRange({ protocol: "icmpv6", fromPort: -1, toPort: -1 })).toEqual([0, 65535]);
    expect(openPortRange({ protocol: "50" })).toEqual([0, 65535]);
  });

  it("uses the rule's range for TCP and UDP", () => {
    expect(openPortRange(tcp(22, 22))).toEqual([22, 22]);
    expect(openPortRange(tcp(20, 25))).toEqual([20, 25]);
    expect(openPortRange(tcp(0, 65535))).toEqual([0, 65535]);
    expect(openPortRange(udp(53, 53))).toEqual([53, 53]);
    expect(openPortRange(udp(1024, 65535))).toEqual([1024, 65535]);
  });

  it("treats -1 or missing ports as every port", () => {
    expect(openPortRange(tcp(-1, -1))).toEqual([0, 65535]);
    expect(openPortRange(tcp())).toEqual([0, 65535]);
    expect(openPortRange(tcp(22))).toEqual([0, 65535]);
    expect(openPortRange(tcp(undefined, 22))).toEqual([0, 65535]);
    expect(openPortRange(udp(-1, 53))).toEqual([0, 65535]);
    expect(openPortRange(udp(53, -1))).toEqual([0, 65535]);
  });

  it("orders a reversed range", () => {
    expect(openPortRange(tcp(25, 20))).toEqual([20, 25]);
    expect(openPortRange(udp(65535, 0))).toEqual([0, 65535]);
  });

  it("intersects out-of-range ports with 0-65535", () => {
    expect(openPortRange(tcp(0, 70000))).toEqual([0, 65535]);
    expect(openPortRange(tcp(443, 99999))).toEqual([443, 65535]);
    expect(openPortRange(tcp(99999, 443))).toEqual([443, 65535]);
  });

  it("a range entirely above 65535 opens no valid port (empty: from > to)", () => {
    const [from, to] = openPortRange(tcp(70000, 80000));
    expect(from).toBeGreaterThan(to);
    expect(reachesPort(tcp(70000, 80000), "tcp", 65535)).toBe(false);
    expect(uncoveredRanges(from, to, [])).toEqual([]);
  });
});

describe("reachesPort", () => {
  it("matches TCP and UDP rules only for their own protocol", () => {
    expect(reachesPort(tcp(22, 22), "tcp", 22)).toBe(true);
    expect(reachesPort(tcp(22, 22), "udp", 22)).toBe(false);
    expect(reachesPort(udp(22, 22), "udp", 22)).toBe(true);
    expect(reachesPort(udp(22, 22), "tcp", 22)).toBe(false);
  });

  it("lets all-traffic rules reach every TCP and UDP port", () => {
    for (const port of [0, 22, 3389, 65535]) {
      expect(reachesPort({ protocol: "all" }, "tcp", port)).toBe(true);
      expect(reachesPort({ protocol: "all" }, "udp", port)).toBe(true);
    }
  });

  it("never lets ICMP or other protocols reach a TCP/UDP port", () => {
    expect(reachesPort({ protocol: "icmp", fromPort: 22, toPort: 22 }, "tcp", 22)).toBe(false);
    expect(reachesPort({ protocol: "icmpv6" }, "udp", 3389)).toBe(false);
    expect(reachesPort({ protocol: "50" }, "tcp", 22)).toBe(false);
  });

  it("checks the range bounds inclusively", () => {
    expect(reachesPort(tcp(20, 25), "tcp", 19)).toBe(false);
    expect(reachesPort(tcp(20, 25), "tcp", 20)).toBe(true);
    expect(reachesPort(tcp(20, 25), "tcp", 22)).toBe(true);
    expect(reachesPort(tcp(20, 25), "tcp", 25)).toBe(true);
    expect(reachesPort(tcp(20, 25), "tcp", 26)).toBe(false);
    expect(reachesPort(tcp(23, 3388), "tcp", 22)).toBe(false);
    expect(reachesPort(tcp(23, 3388), "tcp", 3389)).toBe(false);
    expect(reachesPort(tcp(23, 3388), "tcp", 3388)).toBe(true);
    expect(reachesPort(tcp(0, 65535), "tcp", 22)).toBe(true);
    expect(reachesPort(tcp(-1, -1), "tcp", 3389)).toBe(true);
    expect(reachesPort(tcp(25, 20), "tcp", 22)).toBe(true);
  });
});

describe("portRanges", () => {
  it("expands single ports and dashed ranges", () => {
    expect(portRanges([443, "80", "1020-1025", 0, "65535"])).toEqual([
      [443, 443],
      [80, 80],
      [1020, 1025],
      [0, 0],
      [65535, 65535],
    ]);
    expect(portRanges([])).toEqual([]);
  });
});

describe("uncoveredRanges", () => {
  it("is the whole range when nothing is allowed", () => {
    expect(uncoveredRanges(0, 65535, [])).toEqual([[0, 65535]]);
    expect(uncoveredRanges(22, 22, [])).toEqual([[22, 22]]);
  });

  it("is empty when the range is covered", () => {
    expect(uncoveredRanges(443, 443, [[443, 443]])).toEqual([]);
    expect(uncoveredRanges(80, 443, [[0, 65535]])).toEqual([]);
    expect(
      uncoveredRanges(8000, 8100, [
        [8050, 8100],
        [8000, 8049],
      ]),
    ).toEqual([]);
  });

  it("lists the gaps around the default authorized ports", () => {
    expect(
      uncoveredRanges(0, 65535, [
        [80, 80],
        [443, 443],
      ]),
    ).toEqual([
      [0, 79],
      [81, 442],
      [444, 65535],
    ]);
    expect(
      uncoveredRanges(80, 443, [
        [80, 80],
        [443, 443],
      ]),
    ).toEqual([[81, 442]]);
  });

  it("handles unsorted, overlapping and outside ranges", () => {
    expect(
      uncoveredRanges(20, 30, [
        [25, 35],
        [10, 22],
      ]),
    ).toEqual([[23, 24]]);
    expect(
      uncoveredRanges(100, 200, [
        [150, 160],
        [120, 155],
        [300, 400],
        [0, 50],
      ]),
    ).toEqual([
      [100, 119],
      [161, 200],
    ]);
    expect(uncoveredRanges(0, 10, [[0, 0]])).toEqual([[1, 10]]);
    expect(uncoveredRanges(0, 10, [[10, 10]])).toEqual([[0, 9]]);
    expect(
      uncoveredRanges(0, 10, [
        [1, 1],
        [3, 3],
      ]),
    ).toEqual([
      [0, 0],
      [2, 2],
      [4, 10],
    ]);
  });

  it("does not modify the allowed list it is given", () => {
    const allowed: [number, number][] = [
      [443, 443],
      [80, 80],
    ];
    uncoveredRanges(0, 65535, allowed);
    expect(allowed).toEqual([
      [443, 443],
      [80, 80],
    ]);
  });
});

describe("formatPortRange", () => {
  it.each<[PortsOf, string]>([
    [{ protocol: "all" }, "all traffic"],
    [{ protocol: "icmp", fromPort: 8, toPort: 0 }, "protocol icmp"],
    [{ protocol: "50" }, "protocol 50"],
    [tcp(22, 22), "tcp 22"],
    [tcp(20, 25), "tcp 20-25"],
    [tcp(25, 20), "tcp 20-25"],
    [tcp(0, 65535), "tcp all ports"],
    [tcp(-1, -1), "tcp all ports"],
    [udp(), "udp all ports"],
    [udp(53, 53), "udp 53"],
  ])("%j -> %s", (rule, expected) => {
    expect(formatPortRange(rule)).toBe(expected);
  });
});
