import { describe, expect, it } from "vitest";
import ec2_19, { HIGH_RISK_PORTS } from "../../shared/checks/ec2/ec2-19-high-risk-ports";
import { makeRule } from "../../shared/resources/security-group/rule-factory";
import {
  GROUP_ID,
  albGroup,
  defaultContext,
  dropResponse,
  flaggedRules,
  group,
  host4,
  office4,
  office6,
  prefixList,
  rule,
  stateFrom,
  vpn4,
  world4,
  world6,
} from "./fixtures";

const ALL_24 = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080,
  8088, 8888, 9200, 9300,
];

const evaluate = (...rules: ReturnType<typeof rule>[]) => ec2_19.evaluate(group(...rules), defaultContext);
const portsOf = (...rules: ReturnType<typeof rule>[]) => evaluate(...rules).map((v) => v.evidence.ports);

describe("EC2.19 high-risk ports", () => {
  it("uses Security Hub's fixed list of 24 ports", () => {
    expect([...HIGH_RISK_PORTS]).toEqual(ALL_24);
  });

  describe("non-compliant", () => {
    it("flags TCP 22 open to 0.0.0.0/0 with the exact rule, ports, CIDR and summary", () => {
      const ssh = rule("tcp", 22, 22, world4, "sgr-0d27a9c4e81f35b60");
      expect(evaluate(ssh)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 22 from 0.0.0.0/0 (high-risk ports 22)`,
          evidence: { rule: ssh, ports: [22] },
          cidr: "0.0.0.0/0",
        },
      ]);
      expect(evaluate(ssh)[0]?.evidence.rule).toBe(ssh);
    });

    it("flags IPv6 ::/0 the same way", () => {
      const rdp = rule("tcp", 3389, 3389, world6, "sgr-0a91c3e5f7b2d4068");
      expect(evaluate(rdp)).toEqual([
        {
          summary: `${GROUP_ID} allows tcp 3389 from ::/0 (high-risk ports 3389)`,
          evidence: { rule: rdp, ports: [3389] },
          cidr: "::/0",
        },
      ]);
    });

    it("lists every high-risk port a range covers", () => {
      expect(portsOf(rule("tcp", 23, 3388, world4))).toEqual([
        [23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306],
      ]);
      expect(portsOf(rule("tcp", 20, 25, world4))).toEqual([[20, 21, 22, 23, 25]]);
      expect(portsOf(rule("tcp", 25, 20, world4))).toEqual([[20, 21, 22, 23, 25]]);
      expect(portsOf(rule("tcp", 9300, 9300, world6))).toEqual([[9300]]);
      expect(portsOf(rule("tcp", 8000, 9000, world4))).toEqual([[8080, 8088, 8888]]);
    });

    it("flags all 24 ports for all-traffic, 0-65535 and -1 port rules", () => {
      const all = rule("-1", undefined, undefined, world4);
      expect(portsOf(all)).toEqual([ALL_24]);
      expect(evaluate(all)[0]?.summary).toBe(
        `${GROUP_ID} allows all traffic from 0.0.0.0/0 (high-risk ports ${ALL_24.join(", ")})`,
      );
      expect(portsOf(rule("all", undefined, undefined, world6))).toEqual([ALL_24]);
      expect(portsOf(rule("tcp", 0, 65535, world4))).toEqual([ALL_24]);
      expect(portsOf(rule("tcp", -1, -1, world4))).toEqual([ALL_24]);
      expect(evaluate(rule("tcp", 0, 65535, world4))[0]?.summary).toMatch(
        /allows tcp all ports from 0\.0\.0\.0\/0/,
      );
    });

    it('reads numeric protocol "6" as TCP', () => {
      expect(portsOf(rule("6", "3306", "3306", world4))).toEqual([[3306]]);
      expect(portsOf(rule(6, 5432, 5432, world6))).toEqual([[5432]]);
    });

    it("treats a non-canonical /0 as world-open and reports the canonical CIDR", () => {
      const viaFactory = rule("tcp", 3306, 3306, { kind: "cidr4", cidr: "10.0.0.0/0" });
      expect(viaFactory.source).toEqual({ kind: "cidr4", cidr: "0.0.0.0/0" });
      expect(evaluate(viaFactory).map((v) => v.cidr)).toEqual(["0.0.0.0/0"]);

      // A rule built without the factory keeps its text; the violation still names the canonical network.
      const raw = {
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        source: { kind: "cidr6" as const, cidr: "2001:db8::/0" },
      };
      const [violation] = evaluate(raw);
      expect(violation?.cidr).toBe("::/0");
      expect(violation?.evidence).toEqual({ rule: raw, ports: [22] });
      expect(violation?.summary).toBe(`${GROUP_ID} allows tcp 22 from ::/0 (high-risk ports 22)`);
    });

    it("reports one violation per offending rule, in rule order, and skips the others", () => {
      const ssh = rule("tcp", 22, 22, world4);
      const https = rule("tcp", 443, 443, world4);
      const sshVpn = rule("tcp", 22, 22, vpn4);
      const pg6 = rule("tcp", 5432, 5432, world6);
      expect(flaggedRules(ec2_19, group(ssh, https, sshVpn, pg6))).toEqual([ssh, pg6]);
    });
  });

  describe("compliant", () => {
    it.each([
      ["TCP 443 from 0.0.0.0/0", rule("tcp", 443, 443, world4)],
      ["TCP 443 from ::/0", rule("tcp", 443, 443, world6)],
      ["TCP 80 from 0.0.0.0/0", rule("tcp", 80, 80, world4)],
      ["TCP 26-109 (between 25 and 110)", rule("tcp", 26, 109, world4)],
      ["TCP 0-19 (below 20)", rule("tcp", 0, 19, world4)],
      ["TCP 9301-65535 (above 9300)", rule("tcp", 9301, 65535, world6)],
      ["UDP 22 from 0.0.0.0/0 (TCP only)", rule("udp", 22, 22, world4)],
      ['UDP "17" 3389 from ::/0', rule("17", 3389, 3389, world6)],
      ["UDP all ports", rule("udp", 0, 65535, world4)],
      ["ICMP from 0.0.0.0/0", rule("icmp", -1, -1, world4)],
      ["ICMPv6 from ::/0", rule("58", -1, -1, world6)],
      ['protocol "50" (ESP) from 0.0.0.0/0', rule("50", undefined, undefined, world4)],
      ["TCP 22 from a /32", rule("tcp", 22, 22, host4)],
      ["TCP 22 from a /16", rule("tcp", 22, 22, vpn4)],
      ["TCP 22 from a /24", rule("tcp", 22, 22, office4)],
      ["TCP 22 from 0.0.0.0/1", rule("tcp", 22, 22, { kind: "cidr4", cidr: "0.0.0.0/1" })],
      ["TCP 22 from ::/1", rule("tcp", 22, 22, { kind: "cidr6", cidr: "::/1" })],
      ["TCP 22 from an IPv6 /48", rule("tcp", 22, 22, office6)],
      ["all traffic from a referenced group", rule("-1", undefined, undefined, albGroup)],
      ["all traffic from a prefix list", rule("-1", undefined, undefined, prefixList)],
      ["TCP 0-65535 from a prefix list", rule("tcp", 0, 65535, prefixList)],
    ])("%s", (_name, compliant) => {
      expect(evaluate(compliant)).toEqual([]);
    });
  });

  describe("not applicable", () => {
    it("finds nothing in a group without ingress or without CIDR sources", () => {
      expect(evaluate()).toEqual([]);
      expect(evaluate(rule("tcp", 22, 22, albGroup), rule("-1", undefined, undefined, prefixList))).toEqual(
        [],
      );
    });
  });

  describe("real-shape events through the adapter", () => {
    it("AuthorizeSecurityGroupIngress SSH to 0.0.0.0/0", () => {
      const state = stateFrom("authorize-ssh-world-ipv4.json");
      const violations = ec2_19.evaluate(state, defaultContext);
      expect(violations).toEqual([
        {
          summary: "sg-07c1e5a9d3b2f4068 allows tcp 22 from 0.0.0.0/0 (high-risk ports 22)",
          evidence: {
            rule: {
              protocol: "tcp",
              fromPort: 22,
              toPort: 22,
              source: { kind: "cidr4", cidr: "0.0.0.0/0" },
              ruleId: "sgr-0d27a9c4e81f35b60",
              description: "temp ssh for debugging",
            },
            ports: [22],
          },
          cidr: "0.0.0.0/0",
        },
      ]);
    });

    it("all traffic, 0-65535 by group name, IPv6 RDP and the legacy non-canonical form", () => {
      const ids = (file: string, edit?: typeof dropResponse) =>
        ec2_19
          .evaluate(stateFrom(file, edit), defaultContext)
          .map((v) => [(v.evidence.rule as { ruleId?: string }).ruleId, v.evidence.ports, v.cidr]);
      expect(ids("authorize-all-traffic-world.json")).toEqual([
        ["sgr-06e4b2d8f1a3c5790", ALL_24, "0.0.0.0/0"],
      ]);
      expect(ids("authorize-by-group-name-default-vpc.json")).toEqual([
        ["sgr-0c5d6e7f8a9b01234", ALL_24, "0.0.0.0/0"],
      ]);
      expect(ids("authorize-rdp-world-ipv6.json")).toEqual([["sgr-0a91c3e5f7b2d4068", [3389], "::/0"]]);
      expect(ids("authorize-legacy-form-mysql-noncanonical-cidr.json")).toEqual([
        ["sgr-0f1e2d3c4b5a69870", [3306], "0.0.0.0/0"],
      ]);
      // Without the response the request's `"6"` and `10.0.0.0/0` are normalised by the adapter.
      expect(ids("authorize-legacy-form-mysql-noncanonical-cidr.json", dropResponse)).toEqual([
        [undefined, [3306], "0.0.0.0/0"],
      ]);
      expect(ids("modify-rule-ssh-to-world.json")).toEqual([["sgr-0f2d4b6a8c1e35797", [22], "0.0.0.0/0"]]);
      expect(ids("authorize-ssh-world-and-office-cidrs.json")).toEqual([
        ["sgr-0b1c2d3e4f5a69780", [22], "0.0.0.0/0"],
      ]);
    });

    it("Config item with SSH on IPv4 and RDP on IPv6", () => {
      const violations = ec2_19.evaluate(
        stateFrom("config-item-world-open-ssh-and-rdp.json"),
        defaultContext,
      );
      expect(violations.map((v) => v.summary)).toEqual([
        "sg-0c1d2e3f4a5b6c7d8 allows tcp 22 from 0.0.0.0/0 (high-risk ports 22)",
        "sg-0c1d2e3f4a5b6c7d8 allows tcp 3389 from ::/0 (high-risk ports 3389)",
      ]);
    });

    it.each([
      "authorize-https-world-compliant.json",
      "authorize-referenced-group-and-prefix-list-compliant.json",
      "authorize-ssh-single-host-compliant.json",
      "authorize-udp-rdp-world.json",
      "config-item-world-open-fixed-compliant.json",
    ])("%s is compliant", (file) => {
      expect(ec2_19.evaluate(stateFrom(file), defaultContext)).toEqual([]);
    });
  });

  it("does not depend on how the rule was written (makeRule normalisation)", () => {
    const a = makeRule({
      protocol: "TCP",
      fromPort: "22",
      toPort: "22",
      source: { kind: "cidr4", cidr: "192.168.1.1/0" },
    });
    expect(portsOf(a)).toEqual([[22]]);
  });
});
