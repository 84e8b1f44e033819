import { describe, expect, it } from "vitest";
import ec2_54 from "../../shared/checks/ec2/ec2-54-admin-ports-ipv6";
import type { IngressRule } from "../../shared/resources/security-group/state";
import {
  GROUP_ID,
  albGroup,
  defaultContext,
  flaggedRules,
  group,
  office6,
  prefixList,
  rule,
  stateFrom,
  world4,
  world6,
} from "./fixtures";

const evaluate = (...rules: IngressRule[]) => ec2_54.evaluate(group(...rules), defaultContext);
const portsOf = (...rules: IngressRule[]) => evaluate(...rules).map((v) => v.evidence.ports);

describe("EC2.54 admin ports from ::/0", () => {
  describe("non-compliant", () => {
    it("flags TCP 3389 from ::/0 with the exact rule, ports and CIDR", () => {
      const rdp = rule("tcp", 3389, 3389, world6, "sgr-0a91c3e5f7b2d4068");
      expect(evaluate(rdp)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 3389 from ::/0 (RDP open to the internet)`,
          evidence: { rule: rdp, ports: [3389] },
          cidr: "::/0",
        },
      ]);
    });

    it("flags UDP admin ports over IPv6", () => {
      const udpSsh = rule("17", 22, 22, world6);
      expect(evaluate(udpSsh)).toEqual([
        {
          summary: `${GROUP_ID} allows udp 22 from ::/0 (SSH open to the internet)`,
          evidence: { rule: udpSsh, ports: [22] },
          cidr: "::/0",
        },
      ]);
    });

    it("names both ports when a rule reaches both", () => {
      const all = rule("-1", undefined, undefined, world6);
      expect(evaluate(all)).toEqual([
        {
          summary: `${GROUP_ID} allows all traffic from ::/0 (SSH, RDP open to the internet)`,
          evidence: { rule: all, ports: [22, 3389] },
          cidr: "::/0",
        },
      ]);
      expect(portsOf(rule("tcp", 0, 65535, world6))).toEqual([[22, 3389]]);
      expect(portsOf(rule("6", -1, -1, world6))).toEqual([[22, 3389]]);
      expect(portsOf(rule("tcp", 20, 25, world6))).toEqual([[22]]);
    });

    it("treats a non-canonical /0 such as 2001:DB8::/0 as ::/0", () => {
      const raw: IngressRule = {
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        source: { kind: "cidr6", cidr: "2001:DB8::/0" },
      };
      expect(evaluate(raw)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 22 from ::/0 (SSH open to the internet)`,
          evidence: { rule: raw, ports: [22] },
          cidr: "::/0",
        },
      ]);
      expect(rule("tcp", 22, 22, { kind: "cidr6", cidr: "2001:DB8::/0" }).source).toEqual(world6);
    });
  });

  describe("compliant", () => {
    it.each([
      ["TCP 22 from 0.0.0.0/0 (IPv4 is EC2.53)", rule("tcp", 22, 22, world4)],
      ["all traffic from 0.0.0.0/0", rule("-1", undefined, undefined, world4)],
      ["non-canonical 10.0.0.0/0", rule("tcp", 22, 22, { kind: "cidr4", cidr: "10.0.0.0/0" })],
      ["TCP 23-3388 from ::/0", rule("tcp", 23, 3388, world6)],
      ["TCP 443 from ::/0", rule("tcp", 443, 443, world6)],
      ["TCP 22 from an IPv6 /48", rule("tcp", 22, 22, office6)],
      ["TCP 22 from ::/1", rule("tcp", 22, 22, { kind: "cidr6", cidr: "::/1" })],
      ["TCP 22 from a single IPv6 host", rule("tcp", 22, 22, { kind: "cidr6", cidr: "2001:db8::10/128" })],
      ["all traffic from a referenced group", rule("-1", undefined, undefined, albGroup)],
      ["all traffic from a prefix list", rule("-1", undefined, undefined, prefixList)],
      ["ICMPv6 from ::/0", rule("icmpv6", -1, -1, world6)],
      ['protocol "50" from ::/0', rule("50", undefined, undefined, world6)],
    ])("%s", (_name, compliant) => {
      expect(evaluate(compliant)).toEqual([]);
    });

    it("ignores IPv4 rules in a mixed group", () => {
      const v4 = rule("tcp", 3389, 3389, world4);
      const v6 = rule("tcp", 3389, 3389, world6);
      expect(flaggedRules(ec2_54, group(v4, v6, rule("-1", undefined, undefined, world4)))).toEqual([v6]);
    });
  });

  it("is not applicable to a group without world-open CIDR rules", () => {
    expect(evaluate()).toEqual([]);
    expect(evaluate(rule("tcp", 22, 22, prefixList))).toEqual([]);
  });

  describe("real-shape events through the adapter", () => {
    it.each<[string, string[]]>([
      ["authorize-rdp-world-ipv6.json", ["sgr-0a91c3e5f7b2d4068"]],
      ["authorize-ssh-world-ipv4.json", []],
      ["authorize-all-traffic-world.json", []],
      ["authorize-udp-rdp-world.json", []],
      ["authorize-https-world-compliant.json", []],
      ["config-item-world-open-fixed-compliant.json", []],
    ])("%s flags %j", (file, ruleIds) => {
      const violations = ec2_54.evaluate(stateFrom(file), defaultContext);
      expect(violations.map((v) => (v.evidence.rule as IngressRule).ruleId)).toEqual(ruleIds);
      expect(violations.every((v) => v.cidr === "::/0")).toBe(true);
    });

    it("Config item with SSH on IPv4 and RDP on IPv6: only the IPv6 RDP rule", () => {
      const violations = ec2_54.evaluate(
        stateFrom("config-item-world-open-ssh-and-rdp.json"),
        defaultContext,
      );
      expect(violations.map((v) => v.summary)).toEqual([
        "sg-0c1d2e3f4a5b6c7d8 allows tcp 3389 from ::/0 (RDP open to the internet)",
      ]);
    });
  });
});
