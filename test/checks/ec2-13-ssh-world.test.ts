import { describe, expect, it } from "vitest";
import ec2_13 from "../../shared/checks/ec2/ec2-13-ssh-world";
import type { IngressRule } from "../../shared/resources/security-group/state";
import {
  GROUP_ID,
  albGroup,
  defaultContext,
  flaggedRules,
  group,
  host4,
  office6,
  prefixList,
  rule,
  stateFrom,
  vpn4,
  world4,
  world6,
} from "./fixtures";

const evaluate = (...rules: IngressRule[]) => ec2_13.evaluate(group(...rules), defaultContext);

describe("EC2.13 SSH from the internet", () => {
  describe("non-compliant", () => {
    it("flags TCP 22 from 0.0.0.0/0 with the exact rule, port and canonical CIDR", () => {
      const ssh = rule("tcp", 22, 22, world4, "sgr-0d27a9c4e81f35b60");
      const violations = evaluate(ssh);
      expect(violations).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 22 from 0.0.0.0/0 (SSH open to the internet)`,
          evidence: { rule: ssh, ports: [22] },
          cidr: "0.0.0.0/0",
        },
      ]);
      expect(violations[0]?.evidence.rule).toBe(ssh);
    });

    it("flags TCP 22 from ::/0", () => {
      const ssh6 = rule("tcp", 22, 22, world6);
      expect(evaluate(ssh6)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 22 from ::/0 (SSH open to the internet)`,
          evidence: { rule: ssh6, ports: [22] },
          cidr: "::/0",
        },
      ]);
    });

    it.each([
      ["all traffic (-1)", rule("-1", undefined, undefined, world4), "all traffic"],
      ["all traffic over IPv6", rule("all", undefined, undefined, world6), "all traffic"],
      ["TCP 0-65535", rule("tcp", 0, 65535, world4), "tcp all ports"],
      ["TCP with -1 ports", rule("tcp", -1, -1, world6), "tcp all ports"],
      ["TCP 20-25", rule("tcp", 20, 25, world4), "tcp 20-25"],
      ["TCP 22-22 written in reverse as 25-20", rule("tcp", 25, 20, world4), "tcp 20-25"],
      ['protocol "6" with string ports', rule("6", "22", "22", world4), "tcp 22"],
      ["non-canonical 10.0.0.0/0", rule("tcp", 22, 22, { kind: "cidr4", cidr: "10.0.0.0/0" }), "tcp 22"],
      ["non-canonical 2001:db8::/0", rule("tcp", 22, 22, { kind: "cidr6", cidr: "2001:db8::/0" }), "tcp 22"],
    ])("flags %s", (_name, open, described) => {
      const violations = evaluate(open);
      expect(violations).toHaveLength(1);
      expect(violations[0]?.evidence).toEqual({ rule: open, ports: [22] });
      expect(violations[0]?.cidr).toBe(open.source.kind === "cidr4" ? "0.0.0.0/0" : "::/0");
      expect(violations[0]?.summary).toBe(
        `${GROUP_ID} allows ${described} from ${violations[0]?.cidr} (SSH open to the internet)`,
      );
    });

    it("flags each offending rule once, in order", () => {
      const a = rule("tcp", 22, 22, world4);
      const b = rule("tcp", 3389, 3389, world4);
      const c = rule("tcp", 22, 22, host4);
      const d = rule("-1", undefined, undefined, world6);
      expect(flaggedRules(ec2_13, group(a, b, c, d))).toEqual([a, d]);
    });
  });

  describe("compliant", () => {
    it.each([
      ["UDP 22 from 0.0.0.0/0 (SSH is TCP)", rule("udp", 22, 22, world4)],
      ['"17" 22 from ::/0', rule("17", 22, 22, world6)],
      ["UDP all ports", rule("udp", -1, -1, world4)],
      ["TCP 23-3388", rule("tcp", 23, 3388, world4)],
      ["TCP 0-21", rule("tcp", 0, 21, world4)],
      ["TCP 3389", rule("tcp", 3389, 3389, world4)],
      ["TCP 443 from ::/0", rule("tcp", 443, 443, world6)],
      ["TCP 22 from a /32", rule("tcp", 22, 22, host4)],
      ["TCP 22 from a /16", rule("tcp", 22, 22, vpn4)],
      ["TCP 22 from 0.0.0.0/1", rule("tcp", 22, 22, { kind: "cidr4", cidr: "0.0.0.0/1" })],
      ["TCP 22 from 128.0.0.0/1", rule("tcp", 22, 22, { kind: "cidr4", cidr: "128.0.0.0/1" })],
      ["TCP 22 from an IPv6 /48", rule("tcp", 22, 22, office6)],
      ["TCP 22 from a referenced group", rule("tcp", 22, 22, albGroup)],
      ["all traffic from a prefix list", rule("-1", undefined, undefined, prefixList)],
      ["ICMP from 0.0.0.0/0", rule("icmp", 8, -1, world4)],
      ['protocol "50" from 0.0.0.0/0', rule("50", undefined, undefined, world4)],
    ])("%s", (_name, compliant) => {
      expect(evaluate(compliant)).toEqual([]);
    });
  });

  it("reads CIDR text as a network, not as a string ending in /0", () => {
    const raw = (cidr: string): IngressRule => ({
      protocol: "tcp",
      fromPort: 22,
      toPort: 22,
      source: { kind: "cidr4", cidr },
    });
    expect(evaluate(raw("0.0.0.0/00")).map((v) => v.cidr)).toEqual(["0.0.0.0/0"]);
    expect(evaluate(raw(" 192.0.2.1/0 ")).map((v) => v.cidr)).toEqual(["0.0.0.0/0"]);
    expect(evaluate(raw("300.1.1.1/0"))).toEqual([]);
    expect(evaluate(raw("0.0.0.0/0/0"))).toEqual([]);
    expect(evaluate(raw("0.0.0.0/10"))).toEqual([]);
  });

  it("is not applicable to a group without world-open CIDR rules", () => {
    expect(evaluate()).toEqual([]);
    expect(evaluate(rule("tcp", 22, 22, prefixList), rule("tcp", 22, 22, albGroup))).toEqual([]);
  });

  describe("real-shape events through the adapter", () => {
    it.each<[string, string[]]>([
      ["authorize-ssh-world-ipv4.json", ["sgr-0d27a9c4e81f35b60"]],
      ["modify-rule-ssh-to-world.json", ["sgr-0f2d4b6a8c1e35797"]],
      ["authorize-ssh-world-and-office-cidrs.json", ["sgr-0b1c2d3e4f5a69780"]],
      ["authorize-all-traffic-world.json", ["sgr-06e4b2d8f1a3c5790"]],
      ["authorize-by-group-name-default-vpc.json", ["sgr-0c5d6e7f8a9b01234"]],
      ["authorize-ssh-single-host-compliant.json", []],
      ["authorize-udp-rdp-world.json", []],
      ["authorize-rdp-world-ipv6.json", []],
      ["authorize-https-world-compliant.json", []],
      ["authorize-referenced-group-and-prefix-list-compliant.json", []],
      ["config-item-world-open-fixed-compliant.json", []],
    ])("%s flags %j", (file, ruleIds) => {
      const violations = ec2_13.evaluate(stateFrom(file), defaultContext);
      expect(violations.map((v) => (v.evidence.rule as IngressRule).ruleId)).toEqual(ruleIds);
      expect(violations.every((v) => v.cidr === "0.0.0.0/0")).toBe(true);
    });

    it("Config item: only the world-open IPv4 SSH rule, not the /32 one", () => {
      const violations = ec2_13.evaluate(
        stateFrom("config-item-world-open-ssh-and-rdp.json"),
        defaultContext,
      );
      expect(violations).toEqual([
        {
          summary: "sg-0c1d2e3f4a5b6c7d8 allows tcp 22 from 0.0.0.0/0 (SSH open to the internet)",
          evidence: {
            rule: {
              protocol: "tcp",
              fromPort: 22,
              toPort: 22,
              source: { kind: "cidr4", cidr: "0.0.0.0/0" },
              description: "temp ssh for debugging",
            },
            ports: [22],
          },
          cidr: "0.0.0.0/0",
        },
      ]);
    });
  });
});
