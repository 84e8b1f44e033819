import { describe, expect, it } from "vitest";
import ec2_14 from "../../shared/checks/ec2/ec2-14-rdp-world";
import type { IngressRule } from "../../shared/resources/security-group/state";
import {
  GROUP_ID,
  albGroup,
  defaultContext,
  flaggedRules,
  group,
  host4,
  office4,
  prefixList,
  rule,
  stateFrom,
  vpn4,
  world4,
  world6,
} from "./fixtures";

const evaluate = (...rules: IngressRule[]) => ec2_14.evaluate(group(...rules), defaultContext);

describe("EC2.14 RDP from the internet", () => {
  describe("non-compliant", () => {
    it("flags TCP 3389 from ::/0 with the exact rule, port and canonical CIDR", () => {
      const rdp = rule("tcp", 3389, 3389, world6, "sgr-0a91c3e5f7b2d4068");
      const violations = evaluate(rdp);
      expect(violations).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 3389 from ::/0 (RDP open to the internet)`,
          evidence: { rule: rdp, ports: [3389] },
          cidr: "::/0",
        },
      ]);
      expect(violations[0]?.evidence.rule).toBe(rdp);
    });

    it("flags TCP 3389 from 0.0.0.0/0", () => {
      const rdp = rule("tcp", 3389, 3389, world4);
      expect(evaluate(rdp)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 3389 from 0.0.0.0/0 (RDP open to the internet)`,
          evidence: { rule: rdp, ports: [3389] },
          cidr: "0.0.0.0/0",
        },
      ]);
    });

    it.each([
      ["all traffic (-1)", rule("-1", undefined, undefined, world4)],
      ["all traffic over IPv6", rule("all", undefined, undefined, world6)],
      ["TCP 0-65535", rule("tcp", 0, 65535, world4)],
      ["TCP with -1 ports", rule("tcp", -1, -1, world4)],
      ["TCP 3000-4000", rule("tcp", 3000, 4000, world6)],
      ["TCP 3389-3390", rule("tcp", 3389, 3390, world4)],
      ["TCP 3388-3389", rule("tcp", 3388, 3389, world4)],
      ['protocol "6"', rule("6", 3389, 3389, world4)],
      ["non-canonical 10.0.0.0/0", rule("tcp", 3389, 3389, { kind: "cidr4", cidr: "10.0.0.0/0" })],
      ["non-canonical 2001:db8::/0", rule("tcp", 3389, 3389, { kind: "cidr6", cidr: "2001:db8::/0" })],
    ])("flags %s", (_name, open) => {
      const violations = evaluate(open);
      expect(violations.map((v) => v.evidence)).toEqual([{ rule: open, ports: [3389] }]);
      expect(violations[0]?.cidr).toBe(open.source.kind === "cidr4" ? "0.0.0.0/0" : "::/0");
    });

    it("flags each offending rule once, in order", () => {
      const a = rule("tcp", 22, 22, world4);
      const b = rule("tcp", 3389, 3389, world4);
      const c = rule("tcp", 3389, 3389, office4);
      const d = rule("tcp", 0, 65535, world6);
      expect(flaggedRules(ec2_14, group(a, b, c, d))).toEqual([b, d]);
    });
  });

  describe("compliant", () => {
    it.each([
      ["UDP 3389 from 0.0.0.0/0 (RDP check is TCP)", rule("udp", 3389, 3389, world4)],
      ['"17" 3389 from ::/0', rule("17", 3389, 3389, world6)],
      ["TCP 23-3388", rule("tcp", 23, 3388, world4)],
      ["TCP 3390-65535", rule("tcp", 3390, 65535, world4)],
      ["TCP 22", rule("tcp", 22, 22, world4)],
      ["TCP 3389 from a /32", rule("tcp", 3389, 3389, host4)],
      ["TCP 3389 from a /16", rule("tcp", 3389, 3389, vpn4)],
      ["TCP 3389 from 0.0.0.0/1", rule("tcp", 3389, 3389, { kind: "cidr4", cidr: "0.0.0.0/1" })],
      ["TCP 3389 from a referenced group", rule("tcp", 3389, 3389, albGroup)],
      ["TCP 3389 from a prefix list", rule("tcp", 3389, 3389, prefixList)],
      ["ICMP from 0.0.0.0/0", rule("icmp", -1, -1, world4)],
      ['protocol "50" from ::/0', rule("50", undefined, undefined, world6)],
    ])("%s", (_name, compliant) => {
      expect(evaluate(compliant)).toEqual([]);
    });
  });

  it("is not applicable to a group without world-open CIDR rules", () => {
    expect(evaluate()).toEqual([]);
    expect(evaluate(rule("-1", undefined, undefined, albGroup))).toEqual([]);
  });

  describe("real-shape events through the adapter", () => {
    it.each<[string, string[]]>([
      ["authorize-rdp-world-ipv6.json", ["sgr-0a91c3e5f7b2d4068"]],
      ["authorize-all-traffic-world.json", ["sgr-06e4b2d8f1a3c5790"]],
      ["authorize-by-group-name-default-vpc.json", ["sgr-0c5d6e7f8a9b01234"]],
      ["authorize-udp-rdp-world.json", []],
      ["authorize-ssh-world-ipv4.json", []],
      ["modify-rule-ssh-to-world.json", []],
      ["authorize-https-world-compliant.json", []],
      ["config-item-world-open-fixed-compliant.json", []],
    ])("%s flags %j", (file, ruleIds) => {
      const violations = ec2_14.evaluate(stateFrom(file), defaultContext);
      expect(violations.map((v) => (v.evidence.rule as IngressRule).ruleId)).toEqual(ruleIds);
    });

    it("Config item: only the IPv6 RDP rule", () => {
      const violations = ec2_14.evaluate(
        stateFrom("config-item-world-open-ssh-and-rdp.json"),
        defaultContext,
      );
      expect(violations).toEqual([
        {
          summary: "sg-0c1d2e3f4a5b6c7d8 allows tcp 3389 from ::/0 (RDP open to the internet)",
          evidence: {
            rule: { protocol: "tcp", fromPort: 3389, toPort: 3389, source: { kind: "cidr6", cidr: "::/0" } },
            ports: [3389],
          },
          cidr: "::/0",
        },
      ]);
    });
  });
});
