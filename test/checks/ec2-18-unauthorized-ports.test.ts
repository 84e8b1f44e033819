import { describe, expect, it } from "vitest";
import ec2_18 from "../../shared/checks/ec2/ec2-18-unauthorized-ports";
import { ConfigError, parseConfig } from "../../shared/config/load";
import type { IngressRule } from "../../shared/resources/security-group/state";
import {
  GROUP_ID,
  albGroup,
  contextWith,
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

const custom = contextWith({ authorizedPorts: { tcp: [22, "8000-8100"], udp: [53] } });

const summaries = (context: typeof defaultContext, ...rules: IngressRule[]) =>
  ec2_18.evaluate(group(...rules), context).map((v) => v.summary);

describe("EC2.18 unauthorized ports open to the world", () => {
  it("defaults to TCP 80 and 443 and no UDP", () => {
    expect(defaultContext.config.authorizedPorts).toEqual({ tcp: [80, 443], udp: [] });
  });

  describe("with the default authorized ports", () => {
    it.each([
      ["TCP 80 from 0.0.0.0/0", rule("tcp", 80, 80, world4)],
      ["TCP 443 from 0.0.0.0/0", rule("tcp", 443, 443, world4)],
      ["TCP 443 from ::/0", rule("tcp", 443, 443, world6)],
      ['"6" 443 from ::/0', rule("6", "443", "443", world6)],
      ["ICMP from 0.0.0.0/0 (not TCP/UDP)", rule("icmp", -1, -1, world4)],
      ["ICMPv6 from ::/0", rule("58", -1, -1, world6)],
      ['protocol "50" from 0.0.0.0/0', rule("50", undefined, undefined, world4)],
      ["TCP 22 from a /32", rule("tcp", 22, 22, host4)],
      ["TCP 0-65535 from a /16", rule("tcp", 0, 65535, vpn4)],
      ["UDP 53 from an IPv6 /48", rule("udp", 53, 53, office6)],
      ["all traffic from a referenced group", rule("-1", undefined, undefined, albGroup)],
      ["all traffic from a prefix list", rule("-1", undefined, undefined, prefixList)],
      ["TCP 22 from 0.0.0.0/1", rule("tcp", 22, 22, { kind: "cidr4", cidr: "0.0.0.0/1" })],
    ])("%s is compliant", (_name, compliant) => {
      expect(ec2_18.evaluate(group(compliant), defaultContext)).toEqual([]);
    });

    it("flags TCP 22 from 0.0.0.0/0 with the exact rule and canonical CIDR (no port list in evidence)", () => {
      const ssh = rule("tcp", 22, 22, world4, "sgr-0d27a9c4e81f35b60");
      const violations = ec2_18.evaluate(group(ssh), defaultContext);
      expect(violations).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 22 from 0.0.0.0/0 (unauthorized tcp 22)`,
          evidence: { rule: ssh },
          cidr: "0.0.0.0/0",
        },
      ]);
      expect(violations[0]?.evidence.rule).toBe(ssh);
    });

    it("flags any UDP port, since no UDP port is authorized", () => {
      expect(summaries(defaultContext, rule("udp", 53, 53, world4))).toEqual([
        `${GROUP_ID} allows udp 53 from 0.0.0.0/0 (unauthorized udp 53)`,
      ]);
      expect(summaries(defaultContext, rule("17", 443, 443, world6))).toEqual([
        `${GROUP_ID} allows udp 443 from ::/0 (unauthorized udp 443)`,
      ]);
      expect(summaries(defaultContext, rule("udp", -1, -1, world4))).toEqual([
        `${GROUP_ID} allows udp all ports from 0.0.0.0/0 (unauthorized udp 0-65535)`,
      ]);
    });

    it("names exactly the unauthorized parts of a range", () => {
      expect(summaries(defaultContext, rule("tcp", 80, 443, world4))).toEqual([
        `${GROUP_ID} allows tcp 80-443 from 0.0.0.0/0 (unauthorized tcp 81-442)`,
      ]);
      expect(summaries(defaultContext, rule("tcp", 79, 81, world6))).toEqual([
        `${GROUP_ID} allows tcp 79-81 from ::/0 (unauthorized tcp 79, 81)`,
      ]);
      expect(summaries(defaultContext, rule("tcp", 0, 65535, world4))).toEqual([
        `${GROUP_ID} allows tcp all ports from 0.0.0.0/0 (unauthorized tcp 0-79, 81-442, 444-65535)`,
      ]);
    });

    it("checks all-traffic rules against both the TCP and the UDP lists", () => {
      expect(summaries(defaultContext, rule("-1", undefined, undefined, world4))).toEqual([
        `${GROUP_ID} allows all traffic from 0.0.0.0/0 (unauthorized tcp 0-79, 81-442, 444-65535; unauthorized udp 0-65535)`,
      ]);
    });

    it("treats non-canonical /0 CIDRs as world-open", () => {
      const raw: IngressRule = {
        protocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
        source: { kind: "cidr4", cidr: "10.0.0.0/0" },
      };
      expect(ec2_18.evaluate(group(raw), defaultContext)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 8080 from 0.0.0.0/0 (unauthorized tcp 8080)`,
          evidence: { rule: raw },
          cidr: "0.0.0.0/0",
        },
      ]);
    });

    it("flags each offending rule once, in order", () => {
      const a = rule("tcp", 443, 443, world4);
      const b = rule("tcp", 22, 22, world4);
      const c = rule("udp", 53, 53, world6);
      const d = rule("tcp", 22, 22, host4);
      const e = rule("icmp", -1, -1, world4);
      expect(flaggedRules(ec2_18, group(a, b, c, d, e))).toEqual([b, c]);
    });

    it("is not applicable to a group without world-open CIDR rules", () => {
      expect(ec2_18.evaluate(group(), defaultContext)).toEqual([]);
      expect(
        ec2_18.evaluate(group(rule("tcp", 22, 22, albGroup), rule("udp", 53, 53, vpn4)), defaultContext),
      ).toEqual([]);
    });
  });

  describe('with authorizedPorts {tcp: [22, "8000-8100"], udp: [53]}', () => {
    it("parses the configuration into the lists the check reads", () => {
      expect(custom.config.authorizedPorts).toEqual({ tcp: [22, "8000-8100"], udp: [53] });
    });

    it.each([
      ["TCP 22 from 0.0.0.0/0", rule("tcp", 22, 22, world4)],
      ["TCP 8000-8100 from ::/0", rule("tcp", 8000, 8100, world6)],
      ["TCP 8050 from 0.0.0.0/0", rule("tcp", 8050, 8050, world4)],
      ["TCP 8100-8000 (reversed) from 0.0.0.0/0", rule("tcp", 8100, 8000, world4)],
      ["UDP 53 from 0.0.0.0/0", rule("udp", 53, 53, world4)],
      ['"17" 53 from ::/0', rule("17", 53, 53, world6)],
      ["ICMP from 0.0.0.0/0", rule("icmp", -1, -1, world4)],
    ])("%s is compliant", (_name, compliant) => {
      expect(ec2_18.evaluate(group(compliant), custom)).toEqual([]);
    });

    it("flags ports outside the custom lists, including the defaults it replaced", () => {
      expect(summaries(custom, rule("tcp", 443, 443, world4))).toEqual([
        `${GROUP_ID} allows tcp 443 from 0.0.0.0/0 (unauthorized tcp 443)`,
      ]);
      expect(summaries(custom, rule("tcp", 7999, 8101, world4))).toEqual([
        `${GROUP_ID} allows tcp 7999-8101 from 0.0.0.0/0 (unauthorized tcp 7999, 8101)`,
      ]);
      expect(summaries(custom, rule("tcp", 20, 25, world6))).toEqual([
        `${GROUP_ID} allows tcp 20-25 from ::/0 (unauthorized tcp 20-21, 23-25)`,
      ]);
      expect(summaries(custom, rule("udp", 53, 54, world4))).toEqual([
        `${GROUP_ID} allows udp 53-54 from 0.0.0.0/0 (unauthorized udp 54)`,
      ]);
      expect(summaries(custom, rule("udp", 22, 22, world4))).toEqual([
        `${GROUP_ID} allows udp 22 from 0.0.0.0/0 (unauthorized udp 22)`,
      ]);
    });

    it("checks all-traffic rules against both custom lists", () => {
      expect(summaries(custom, rule("-1", undefined, undefined, world6))).toEqual([
        `${GROUP_ID} allows all traffic from ::/0 (unauthorized tcp 0-21, 23-7999, 8101-65535; unauthorized udp 0-52, 54-65535)`,
      ]);
    });

    it("authorizing every TCP and UDP port leaves nothing to flag, even for all traffic", () => {
      const open = contextWith({ authorizedPorts: { tcp: ["0-65535"], udp: ["0-65535"] } });
      expect(ec2_18.evaluate(group(rule("-1", undefined, undefined, world4)), open)).toEqual([]);
    });

    it("rejects port specs the check could not read", () => {
      expect(() => parseConfig({ authorizedPorts: { tcp: ["8100-8000"] } })).toThrow(ConfigError);
      expect(() => parseConfig({ authorizedPorts: { tcp: [70000] } })).toThrow(ConfigError);
      expect(() => parseConfig({ authorizedPorts: { udp: ["53,54"] } })).toThrow(ConfigError);
      expect(() => parseConfig({ authorizedPorts: { tcp: [80], sctp: [1] } })).toThrow(ConfigError);
    });
  });

  describe("real-shape events through the adapter", () => {
    it.each<[string, string[]]>([
      ["authorize-https-world-compliant.json", []],
      ["authorize-referenced-group-and-prefix-list-compliant.json", []],
      ["authorize-ssh-single-host-compliant.json", []],
      ["config-item-world-open-fixed-compliant.json", []],
      [
        "authorize-ssh-world-ipv4.json",
        ["sg-07c1e5a9d3b2f4068 allows tcp 22 from 0.0.0.0/0 (unauthorized tcp 22)"],
      ],
      [
        "authorize-udp-rdp-world.json",
        ["sg-09a8b7c6d5e4f3021 allows udp 3389 from 0.0.0.0/0 (unauthorized udp 3389)"],
      ],
      [
        "authorize-legacy-form-mysql-noncanonical-cidr.json",
        ["sg-0a7b9c1d3e5f70246 allows tcp 3306 from 0.0.0.0/0 (unauthorized tcp 3306)"],
      ],
      [
        "authorize-all-traffic-world.json",
        [
          "sg-0e2b7d41c9a3f5612 allows all traffic from 0.0.0.0/0 (unauthorized tcp 0-79, 81-442, 444-65535; unauthorized udp 0-65535)",
        ],
      ],
      [
        "config-item-world-open-ssh-and-rdp.json",
        [
          "sg-0c1d2e3f4a5b6c7d8 allows tcp 22 from 0.0.0.0/0 (unauthorized tcp 22)",
          "sg-0c1d2e3f4a5b6c7d8 allows tcp 3389 from ::/0 (unauthorized tcp 3389)",
        ],
      ],
    ])("%s (default config)", (file, expected) => {
      expect(ec2_18.evaluate(stateFrom(file), defaultContext).map((v) => v.summary)).toEqual(expected);
    });

    it("keeps the rule id of the offending rule", () => {
      const [violation] = ec2_18.evaluate(stateFrom("authorize-all-traffic-world.json"), defaultContext);
      expect(violation?.evidence).toEqual({
        rule: {
          protocol: "all",
          source: { kind: "cidr4", cidr: "0.0.0.0/0" },
          ruleId: "sgr-06e4b2d8f1a3c5790",
          description: "allow all (temporary)",
        },
      });
    });

    it("custom config authorizes the SSH event but not the UDP RDP one", () => {
      expect(ec2_18.evaluate(stateFrom("authorize-ssh-world-ipv4.json"), custom)).toEqual([]);
      expect(ec2_18.evaluate(stateFrom("modify-rule-ssh-to-world.json"), custom)).toEqual([]);
      expect(ec2_18.evaluate(stateFrom("authorize-udp-rdp-world.json"), custom).map((v) => v.cidr)).toEqual([
        "0.0.0.0/0",
      ]);
    });
  });
});
