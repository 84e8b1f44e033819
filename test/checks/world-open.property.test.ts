import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checks as allChecks } from "../../shared/checks/catalog";
import type { CheckContext, Violation } from "../../shared/checks/define";
import { HIGH_RISK_PORTS } from "../../shared/checks/ec2/ec2-19-high-risk-ports";

/** The world-open ingress checks (EC2.2, on default groups, is tested in test/default-security-group). */
const checks = allChecks.filter((check) => check.remediation?.id === "revoke-security-group-ingress");
import { parseConfig } from "../../shared/config/load";
import type { PortSpec } from "../../shared/config/schema";
import { makeRule } from "../../shared/resources/security-group/rule-factory";
import type {
  IngressRule,
  RuleSource,
  SecurityGroupState,
} from "../../shared/resources/security-group/state";
import { GROUP_ID } from "./fixtures";

const RUNS = { numRuns: 300 };

// ---- generators -------------------------------------------------------------------------------

const hex17 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 17, maxLength: 17 });
const protocolArb = fc.constantFrom("tcp", "udp", "all", "icmp", "50", "6", "17", "-1", "TCP", "58");
const portArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 65535 }) },
  { weight: 3, arbitrary: fc.constantFrom(0, 21, 22, 23, 53, 80, 443, 3388, 3389, 3390, 8080, 65535) },
  { weight: 1, arbitrary: fc.constant(-1) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const prefixArb = (max: number) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.constantFrom(1, 8, 16, max) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max }) },
  );
const cidr4Arb = fc.tuple(fc.ipV4(), prefixArb(32)).map(([a, p]) => `${a}/${p}`);
const cidr6Arb = fc.tuple(fc.ipV6(), prefixArb(128)).map(([a, p]) => `${a}/${p}`);

/** CIDR text an adapter could carry through unchanged: invalid, oddly written, or with stray whitespace. */
const oddCidrArb = fc.constantFrom(
  "300.1.1.1/0",
  "abc/0",
  "0.0.0.0/0/0",
  "1.2.3.4/ 0",
  "0.0.0.0/-0",
  "0.0.0.0/00",
  " 10.0.0.0/0 ",
  "::/000",
  "2001:db8::/0",
  "2001:db8:::/0",
);

const sourceArb: fc.Arbitrary<RuleSource> = fc.oneof(
  {
    weight: 1,
    arbitrary: oddCidrArb.map((cidr): RuleSource => ({ kind: cidr.includes(":") ? "cidr6" : "cidr4", cidr })),
  },
  { weight: 3, arbitrary: cidr4Arb.map((cidr): RuleSource => ({ kind: "cidr4", cidr })) },
  { weight: 3, arbitrary: cidr6Arb.map((cidr): RuleSource => ({ kind: "cidr6", cidr })) },
  {
    weight: 1,
    arbitrary: hex17.map((h): RuleSource => ({ kind: "group", groupId: `sg-${h}`, userId: "111122223333" })),
  },
  {
    weight: 1,
    arbitrary: hex17.map((h): RuleSource => ({ kind: "prefix-list", prefixListId: `pl-${h}` })),
  },
);

/** A rule as the adapters build it, or (sometimes) with its CIDR text left exactly as written. */
const ruleArb: fc.Arbitrary<IngressRule> = fc
  .record({
    protocol: protocolArb,
    fromPort: portArb,
    toPort: portArb,
    source: sourceArb,
    id: hex17,
    raw: fc.boolean(),
  })
  .map(({ protocol, fromPort, toPort, source, id, raw }) => {
    const built = makeRule({ protocol, fromPort, toPort, source, ruleId: `sgr-${id}` });
    return raw ? { ...built, source } : built;
  });

const stateArb: fc.Arbitrary<SecurityGroupState> = fc
  .array(ruleArb, { maxLength: 6 })
  .map((ingress) => ({ groupId: GROUP_ID, ingress }));

const rangeSpec: fc.Arbitrary<PortSpec> = fc.oneof(
  fc.integer({ min: 0, max: 65535 }),
  fc
    .tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 2000 }))
    .map(([from, width]) => `${from}-${Math.min(65535, from + width)}`),
);
const contextArb: fc.Arbitrary<CheckContext> = fc.oneof(
  fc.constant({ config: parseConfig({}) }),
  fc
    .record({
      tcp: fc.array(rangeSpec, { maxLength: 6 }),
      udp: fc.array(rangeSpec, { maxLength: 6 }),
    })
    .map((authorizedPorts) => ({ config: parseConfig({ authorizedPorts }) })),
);

// ---- independent oracle -----------------------------------------------------------------------

/** World-open by definition: a valid IPv4/IPv6 address with prefix length 0. */
function worldFamily(rule: IngressRule): 4 | 6 | undefined {
  const { source } = rule;
  if (source.kind !== "cidr4" && source.kind !== "cidr6") return undefined;
  const [address = "", prefix = "", ...extra] = source.cidr.trim().split("/");
  if (extra.length || !/^0{1,3}$/.test(prefix) || isIP(address) === 0) return undefined;
  return source.kind === "cidr4" ? 4 : 6;
}

function admits(rule: IngressRule, protocol: "tcp" | "udp", port: number): boolean {
  if (rule.protocol === "all") return true;
  if (rule.protocol !== protocol) return false;
  const { fromPort, toPort } = rule;
  if (fromPort === undefined || toPort === undefined || fromPort < 0 || toPort < 0) return true;
  return port >= Math.min(fromPort, toPort) && port <= Math.max(fromPort, toPort);
}

const specRange = (spec: PortSpec): [number, number] => {
  const [a = 0, b = a] = String(spec).split("-").map(Number);
  return [a, b];
};

/** Is some port the rule admits over `protocol` outside `authorized`? Checked at every boundary. */
function hasUnauthorized(
  rule: IngressRule,
  protocol: "tcp" | "udp",
  authorized: readonly PortSpec[],
): boolean {
  const ranges = authorized.map(specRange);
  const allowed = (p: number) => ranges.some(([a, b]) => p >= a && p <= b);
  const candidates = [
    0,
    65535,
    rule.fromPort ?? 0,
    rule.toPort ?? 0,
    ...ranges.flatMap(([a, b]) => [a - 1, b + 1]),
  ];
  return candidates.some((p) => p >= 0 && p <= 65535 && admits(rule, protocol, p) && !allowed(p));
}

interface Expected {
  rule: IngressRule;
  ports?: number[];
}

function expectedFor(checkId: string, state: SecurityGroupState, context: CheckContext): Expected[] {
  const out: Expected[] = [];
  for (const rule of state.ingress) {
    const family = worldFamily(rule);
    if (!family) continue;
    const reached = (ports: readonly number[], protocols: readonly ("tcp" | "udp")[]) =>
      ports.filter((p) => protocols.some((proto) => admits(rule, proto, p)));
    if (checkId === "EC2.18") {
      const { tcp, udp } = context.config.authorizedPorts;
      if (hasUnauthorized(rule, "tcp", tcp) || hasUnauthorized(rule, "udp", udp)) out.push({ rule });
      continue;
    }
    const oracles: Record<string, () => number[]> = {
      "EC2.19": () => reached(HIGH_RISK_PORTS, ["tcp"]),
      "EC2.13": () => reached([22], ["tcp"]),
      "EC2.14": () => reached([3389], ["tcp"]),
      "EC2.53": () => (family === 4 ? reached([22, 3389], ["tcp", "udp"]) : []),
      "EC2.54": () => (family === 6 ? reached([22, 3389], ["tcp", "udp"]) : []),
    };
    const oracle = oracles[checkId];
    if (!oracle) throw new Error(`no oracle for ${checkId}`);
    const ports = oracle();
    if (ports.length) out.push({ rule, ports });
  }
  return out;
}

// ---- properties -------------------------------------------------------------------------------

function expectWorldOpen(violation: Violation, state: SecurityGroupState) {
  const rule = violation.evidence.rule as IngressRule;
  expect(state.ingress).toContain(rule);
  const family = worldFamily(rule);
  expect(family).toBeDefined();
  expect(violation.cidr).toBe(family === 4 ? "0.0.0.0/0" : "::/0");
  expect(violation.summary.startsWith(`${GROUP_ID} allows `)).toBe(true);
  expect(violation.summary).toContain(` from ${violation.cidr} (`);
}

describe("world-open property: no check ever flags a rule whose source is not a /0 CIDR", () => {
  it("every violation of every check points at a world-open rule of the state", () => {
    fc.assert(
      fc.property(stateArb, contextArb, (state, context) => {
        for (const check of checks) {
          for (const violation of check.evaluate(state, context)) expectWorldOpen(violation, state);
        }
      }),
      RUNS,
    );
  });

  it("groups without a /0 CIDR source are compliant with every check", () => {
    const closedSource: fc.Arbitrary<RuleSource> = fc.oneof(
      fc
        .tuple(fc.ipV4(), fc.integer({ min: 1, max: 32 }))
        .map(([a, p]): RuleSource => ({ kind: "cidr4", cidr: `${a}/${p}` })),
      fc
        .tuple(fc.ipV6(), fc.integer({ min: 1, max: 128 }))
        .map(([a, p]): RuleSource => ({ kind: "cidr6", cidr: `${a}/${p}` })),
      fc.constant<RuleSource>({ kind: "group", groupId: "sg-0b93d7e2a5c14f806" }),
      fc.constant<RuleSource>({ kind: "prefix-list", prefixListId: "pl-0a1b2c3d4e5f60718" }),
    );
    const closedRules = fc.array(
      fc
        .record({ protocol: protocolArb, fromPort: portArb, toPort: portArb, source: closedSource })
        .map((parts) => makeRule(parts)),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(closedRules, contextArb, (ingress, context) => {
        const state = { groupId: GROUP_ID, ingress };
        for (const check of checks) expect(check.evaluate(state, context)).toEqual([]);
      }),
      RUNS,
    );
  });

  it.each(checks.map((c) => c.id))(
    "%s flags exactly the rules (and ports) the brute-force oracle expects",
    (id) => {
      const check = checks.find((c) => c.id === id);
      if (!check) throw new Error(id);
      fc.assert(
        fc.property(stateArb, contextArb, (state, context) => {
          const actual = check.evaluate(state, context).map((v) => ({
            rule: v.evidence.rule,
            ...(v.evidence.ports ? { ports: v.evidence.ports } : {}),
          }));
          expect(actual).toEqual(expectedFor(id, state, context));
        }),
        RUNS,
      );
    },
  );
});
