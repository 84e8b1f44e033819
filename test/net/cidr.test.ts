import { describe, expect, it } from "vitest";
import { canonicalCidr, cidrContains, isWorldOpen, parseCidr, sameNetwork } from "../../shared/net/cidr";

const INVALID = [
  "300.1.1.1/8",
  "1.2.3.4/33",
  "::/129",
  "abc",
  "1.2.3.4/8/1",
  "",
  "   ",
  "1.2.3.4/-1",
  "1.2.3.4/ 8",
  "1.2.3.4/",
  "1.2.3.4/8.0",
  "1.2.3.4/1e1",
  "1.2.3.4/0x8",
  "1.2.3.4/+8",
  "1.2.3.4/1000",
  "1.2.3/24",
  "01.2.3.4/8",
  "1.2.3.4.5/8",
  "2001:db8:::/32",
  "2001:db8::g/64",
  "1:2:3:4:5:6:7:8:9/64",
  "/0",
  "0.0.0.0/0/0",
];

describe("parseCidr", () => {
  it("clears host bits and keeps the prefix (IPv4)", () => {
    expect(parseCidr("100.68.0.18/18")).toEqual({ family: 4, address: 0x64440000n, prefix: 18 });
    expect(parseCidr("10.0.0.0/0")).toEqual({ family: 4, address: 0n, prefix: 0 });
    expect(parseCidr("255.255.255.255/32")).toEqual({ family: 4, address: 0xffffffffn, prefix: 32 });
    expect(parseCidr("255.255.255.255/1")).toEqual({ family: 4, address: 0x80000000n, prefix: 1 });
  });

  it("clears host bits and keeps the prefix (IPv6)", () => {
    expect(parseCidr("2001:DB8::1/32")).toEqual({ family: 6, address: 0x20010db8n << 96n, prefix: 32 });
    expect(parseCidr("::/0")).toEqual({ family: 6, address: 0n, prefix: 0 });
    expect(parseCidr("::1")).toEqual({ family: 6, address: 1n, prefix: 128 });
    expect(parseCidr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128")).toEqual({
      family: 6,
      address: (1n << 128n) - 1n,
      prefix: 128,
    });
  });

  it("reads an embedded IPv4 tail as the last two hextets", () => {
    expect(parseCidr("::ffff:1.2.3.4/128")).toEqual({ family: 6, address: 0xffff01020304n, prefix: 128 });
    expect(parseCidr("64:ff9b::198.51.100.23/96")).toEqual({
      family: 6,
      address: 0x64ff9bn << 96n,
      prefix: 96,
    });
  });

  it("treats a bare address as a host route", () => {
    expect(parseCidr("198.51.100.23")).toEqual({ family: 4, address: 0xc6336417n, prefix: 32 });
    expect(parseCidr("2001:db8::5")?.prefix).toBe(128);
  });

  it("tolerates surrounding whitespace but not whitespace inside", () => {
    expect(parseCidr("  10.1.2.3/8 ")).toEqual({ family: 4, address: 0x0a000000n, prefix: 8 });
    expect(parseCidr("10.1.2.3 /8")).toBeUndefined();
  });

  it.each(INVALID)("rejects %j", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe("canonicalCidr", () => {
  it.each([
    ["10.0.0.0/0", "0.0.0.0/0"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["192.168.77.9/0", "0.0.0.0/0"],
    ["100.68.0.18/18", "100.68.0.0/18"],
    ["198.51.100.23/32", "198.51.100.23/32"],
    ["198.51.100.23", "198.51.100.23/32"],
    ["10.20.30.40/16", "10.20.0.0/16"],
    ["10.20.30.40/8", "10.0.0.0/8"],
    ["172.31.255.255/12", "172.16.0.0/12"],
    ["128.1.1.1/1", "128.0.0.0/1"],
    ["127.255.255.255/1", "0.0.0.0/1"],
  ])("IPv4 %s -> %s", (input, expected) => {
    expect(canonicalCidr(input)).toBe(expected);
  });

  it.each([
    ["::/0", "::/0"],
    ["2001:db8::/0", "::/0"],
    ["FFFF::1/0", "::/0"],
    ["2001:DB8::1/32", "2001:db8::/32"],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001/128", "2001:db8::1/128"],
    ["2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"],
    ["2001:0:0:1:0:0:0:1/128", "2001:0:0:1::1/128"],
    ["0:0:1:0:0:1:0:0/128", "::1:0:0:1:0:0/128"],
    ["2001:db8:0:1:1:1:1:1/128", "2001:db8:0:1:1:1:1:1/128"],
    ["1:2:3:4:5:6:7:8/64", "1:2:3:4::/64"],
    ["2001:db8:abcd:12::1/56", "2001:db8:abcd::/56"],
    ["2001:db8:abcd:1234::/52", "2001:db8:abcd:1000::/52"],
    ["fe80::1:2/10", "fe80::/10"],
    ["::1", "::1/128"],
    ["::", "::/128"],
    ["1::", "1::/128"],
    ["::ffff:1.2.3.4/128", "::ffff:102:304/128"],
  ])("IPv6 %s -> %s", (input, expected) => {
    expect(canonicalCidr(input)).toBe(expected);
  });

  it.each(INVALID)("is undefined for %j", (text) => {
    expect(canonicalCidr(text)).toBeUndefined();
  });
});

describe("isWorldOpen", () => {
  it.each([
    "0.0.0.0/0",
    "10.0.0.0/0",
    "255.255.255.255/0",
    "::/0",
    "2001:db8::/0",
    "FFFF::/0",
    " 0.0.0.0/0 ",
  ])("%j admits the whole family", (cidr) => {
    expect(isWorldOpen(cidr)).toBe(true);
  });

  it.each([
    "0.0.0.0/1",
    "128.0.0.0/1",
    "0.0.0.0/8",
    "10.0.0.0/8",
    "198.51.100.23/32",
    "0.0.0.0",
    "::/1",
    "::",
    "8000::/1",
    "2001:db8::/32",
  ])("%j is not world-open", (cidr) => {
    expect(isWorldOpen(cidr)).toBe(false);
  });

  it.each(INVALID)("an invalid CIDR (%j) is never world-open", (cidr) => {
    expect(isWorldOpen(cidr)).toBe(false);
  });
});

describe("cidrContains", () => {
  it("contains its own and smaller networks of the same family", () => {
    expect(cidrContains("10.0.0.0/8", "10.0.0.0/8")).toBe(true);
    expect(cidrContains("10.0.0.0/8", "10.20.0.0/16")).toBe(true);
    expect(cidrContains("10.0.0.0/8", "10.255.255.255")).toBe(true);
    expect(cidrContains("10.0.0.0/8", "11.0.0.0/16")).toBe(false);
    expect(cidrContains("10.0.0.0/8", "9.255.255.255/32")).toBe(false);
    expect(cidrContains("2001:db8::/32", "2001:db8:ffff::/48")).toBe(true);
    expect(cidrContains("2001:db8::/32", "2001:db9::/48")).toBe(false);
  });

  it("never contains a larger network", () => {
    expect(cidrContains("10.20.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(cidrContains("10.20.0.0/16", "0.0.0.0/0")).toBe(false);
    expect(cidrContains("2001:db8::/48", "2001:db8::/32")).toBe(false);
  });

  it("compares normalised networks (host bits ignored on both sides)", () => {
    expect(cidrContains("10.9.9.9/8", "10.1.0.0/16")).toBe(true);
    expect(cidrContains("10.0.0.0/0", "0.0.0.0/0")).toBe(true);
    expect(cidrContains("0.0.0.0/0", "192.168.77.9/0")).toBe(true);
    expect(cidrContains("2001:DB8::1/32", "2001:db8::/32")).toBe(true);
  });

  it("a /0 contains every address of its family", () => {
    expect(cidrContains("0.0.0.0/0", "198.51.100.23/32")).toBe(true);
    expect(cidrContains("0.0.0.0/0", "255.255.255.255")).toBe(true);
    expect(cidrContains("::/0", "2001:db8::1")).toBe(true);
    expect(cidrContains("::/0", "::/0")).toBe(true);
  });

  it("never mixes families", () => {
    expect(cidrContains("0.0.0.0/0", "::/0")).toBe(false);
    expect(cidrContains("::/0", "0.0.0.0/0")).toBe(false);
    expect(cidrContains("::/0", "1.2.3.4")).toBe(false);
    expect(cidrContains("::/0", "::ffff:1.2.3.4")).toBe(true);
    expect(cidrContains("0.0.0.0/0", "::ffff:1.2.3.4")).toBe(false);
  });

  it("is false when either side is invalid", () => {
    expect(cidrContains("abc", "10.0.0.0/8")).toBe(false);
    expect(cidrContains("10.0.0.0/8", "10.1.2.3/33")).toBe(false);
    expect(cidrContains("", "")).toBe(false);
  });
});

describe("sameNetwork", () => {
  it("matches CIDRs that canonicalise to the same network", () => {
    expect(sameNetwork("10.0.0.0/0", "0.0.0.0/0")).toBe(true);
    expect(sameNetwork("100.68.0.18/18", "100.68.63.255/18")).toBe(true);
    expect(sameNetwork("2001:DB8::1/32", "2001:db8:ffff::/32")).toBe(true);
    expect(sameNetwork("198.51.100.23", "198.51.100.23/32")).toBe(true);
  });

  it("distinguishes prefixes, addresses and families", () => {
    expect(sameNetwork("10.0.0.0/8", "10.0.0.0/16")).toBe(false);
    expect(sameNetwork("10.0.0.0/8", "11.0.0.0/8")).toBe(false);
    expect(sameNetwork("0.0.0.0/0", "::/0")).toBe(false);
  });

  it("never matches invalid CIDRs, not even to themselves", () => {
    expect(sameNetwork("abc", "abc")).toBe(false);
    expect(sameNetwork("1.2.3.4/33", "1.2.3.4/33")).toBe(false);
    expect(sameNetwork("1.2.3.4/32", "1.2.3.4/33")).toBe(false);
  });
});
