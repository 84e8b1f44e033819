import { describe, expect, it } from "vitest";
import ec2_53 from "../../shared/checks/ec2/ec2-53-admin-ports-ipv4";
import type { IngressRule } from "../../shared/resources/security-group/state";
import {
  GROUP_ID,
  albGroup,
  defaultContext,
  flaggedRules,
  group,
  host4,
  prefixList,
  rule,
  stateFrom,
  vpn4,
  world4,
  world6,
} from "./fixtures";

const evaluate = (...rules: IngressRule[]) => ec2_53.evaluate(group(...rules), defaultContext);
const portsOf = (...rules: IngressRule[]) => evaluate(...rules).map((v) => v.evidence.ports);

describe("EC2.53 admin ports from 0.0.0.0/0", () => {
  describe("non-compliant", () => {
    it("flags TCP 22 from 0.0.0.0/0 with the exact rule, ports and CIDR", () => {
      const ssh = rule("tcp", 22, 22, world4, "sgr-0d27a9c4e81f35b60");
      expect(evaluate(ssh)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 22 from 0.0.0.0/0 (SSH open to the internet)`,
          evidence: { rule: ssh, ports: [22] },
          cidr: "0.0.0.0/0",
        },
      ]);
    });

    it("flags UDP 22 and UDP 3389 too (protocolType ALL), which EC2.13/EC2.14 do not", () => {
      const udpSsh = rule("udp", 22, 22, world4);
      const udpRdp = rule("17", 3389, 3389, world4);
      expect(evaluate(udpSsh)).toEqual([
        {
          summary: `${GROUP_ID} allows udp 22 from 0.0.0.0/0 (SSH open to the internet)`,
          evidence: { rule: udpSsh, ports: [22] },
          cidr: "0.0.0.0/0",
        },
      ]);
      expect(evaluate(udpRdp).map((v) => v.summary)).toEqual([
        `${GROUP_ID} allows udp 3389 from 0.0.0.0/0 (RDP open to the internet)`,
      ]);
    });

    it("names both ports when a rule reaches both", () => {
      const all = rule("-1", undefined, undefined, world4);
      expect(evaluate(all)).toEqual([
        {
          summary: `${GROUP_ID} allows all traffic from 0.0.0.0/0 (SSH, RDP open to the internet)`,
          evidence: { rule: all, ports: [22, 3389] },
          cidr: "0.0.0.0/0",
        },
      ]);
      expect(portsOf(rule("tcp", 0, 65535, world4))).toEqual([[22, 3389]]);
      expect(portsOf(rule("udp", -1, -1, world4))).toEqual([[22, 3389]]);
      expect(portsOf(rule("tcp", 22, 3389, world4))).toEqual([[22, 3389]]);
      expect(portsOf(rule("tcp", 20, 25, world4))).toEqual([[22]]);
      expect(portsOf(rule("6", 3000, 4000, world4))).toEqual([[3389]]);
    });

    it("treats non-canonical 10.0.0.0/0 as 0.0.0.0/0", () => {
      const raw: IngressRule = {
        protocol: "tcp",
        fromPort: 3389,
        toPort: 3389,
        source: { kind: "cidr4", cidr: "10.0.0.0/0" },
        ruleId: "sgr-0f1e2d3c4b5a69870",
      };
      expect(evaluate(raw)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 3389 from 0.0.0.0/0 (RDP open to the internet)`,
          evidence: { rule: raw, ports: [3389] },
          cidr: "0.0.0.0/0",
        },
      ]);
    });
  });

  describe("compliant", () => {
    it.each([
      ["TCP 22 from ::/0 (IPv6 is EC2.54)", rule("tcp", 22, 22, world6)],
      ["all traffic from ::/0", rule("-1", undefined, undefined, world6)],
      [
        "non-canonical 2001:db8::/0 on 3389",
        rule("tcp", 3389, 3389, { kind: "cidr6", cidr: "2001:db8::/0" }),
      ],
      ["TCP 23-3388", rule("tcp", 23, 3388, world4)],
      ["UDP 23-3388", rule("udp", 23, 3388, world4)],
      ["TCP 443", rule("tcp", 443, 443, world4)],
      ["TCP 22 from a /32", rule("tcp", 22, 22, host4)],
      ["TCP 22 from a /16", rule("tcp", 22, 22, vpn4)],
      ["TCP 22 from 0.0.0.0/1", rule("tcp", 22, 22, { kind: "cidr4", cidr: "0.0.0.0/1" })],
      ["all traffic from a referenced group", rule("-1", undefined, undefined, albGroup)],
      ["all traffic from a prefix list", rule("-1", undefined, undefined, prefixList)],
      ["ICMP from 0.0.0.0/0", rule("icmp", -1, -1, world4)],
      ['protocol "50" from 0.0.0.0/0', rule("50", undefined, undefined, world4)],
    ])("%s", (_name, compliant) => {
      expect(evaluate(compliant)).toEqual([]);
    });

    it("ignores IPv6 rules in a mixed group", () => {
      const v4 = rule("tcp", 22, 22, world4);
      const v6 = rule("tcp", 22, 22, world6);
      expect(flaggedRules(ec2_53, group(v6, v4, rule("tcp", 3389, 3389, world6)))).toEqual([v4]);
    });
  });

  it("is not applicable to a group without world-open CIDR rules", () => {
    expect(evaluate()).toEqual([]);
    expect(evaluate(rule("tcp", 22, 22, albGroup))).toEqual([]);
  });

  describe("real-shape events through the adapter", () => {
    it.each<[string, string[], number[][]]>([
      ["authorize-ssh-world-ipv4.json", ["sgr-0d27a9c4e81f35b60"], [[22]]],
      ["authorize-udp-rdp-world.json", ["sgr-05e6f7a8b9c031425"], [[3389]]],
      ["authorize-all-traffic-world.json", ["sgr-06e4b2d8f1a3c5790"], [[22, 3389]]],
      ["modify-rule-ssh-to-world.json", ["sgr-0f2d4b6a8c1e35797"], [[22]]],
      ["authorize-rdp-world-ipv6.json", [], []],
      ["authorize-https-world-compliant.json", [], []],
      ["authorize-ssh-single-host-compliant.json", [], []],
      ["config-item-world-open-fixed-compliant.json", [], []],
    ])("%s flags %j", (file, ruleIds, ports) => {
      const violations = ec2_53.evaluate(stateFrom(file), defaultContext);
      expect(violations.map((v) => (v.evidence.rule as IngressRule).ruleId)).toEqual(ruleIds);
      expect(violations.map((v) => v.evidence.ports)).toEqual(ports);
    });

    it("UDP RDP event: evidence is the response's rule", () => {
      expect(ec2_53.evaluate(stateFrom("authorize-udp-rdp-world.json"), defaultContext)).toEqual([
        {
          summary: "sg-09a8b7c6d5e4f3021 allows udp 3389 from 0.0.0.0/0 (RDP open to the internet)",
          evidence: {
            rule: {
              protocol: "udp",
              fromPort: 3389,
              toPort: 3389,
              source: { kind: "cidr4", cidr: "0.0.0.0/0" },
              ruleId: "sgr-05e6f7a8b9c031425",
              description: "rdp udp transport",
            },
            ports: [3389],
          },
          cidr: "0.0.0.0/0",
        },
      ]);
    });

    it("Config item with SSH on IPv4 and RDP on IPv6: only the IPv4 SSH rule", () => {
      const violations = ec2_53.evaluate(
        stateFrom("config-item-world-open-ssh-and-rdp.json"),
        defaultContext,
      );
      expect(violations.map((v) => v.summary)).toEqual([
        "sg-0c1d2e3f4a5b6c7d8 allows tcp 22 from 0.0.0.0/0 (SSH open to the internet)",
      ]);
    });
  });
});
