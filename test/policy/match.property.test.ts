import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateAccess, statementAllows, statementDenies } from "../../shared/policy";
import { policy } from "./support";

const RUNS = { numRuns: 500 };

const SERVICES = ["s3", "iam", "kms", "ec2", "sts"];
const NAMES = [
  "GetObject",
  "PutObject",
  "PassRole",
  "Decrypt",
  "DescribeInstances",
  "AssumeRole",
  "Get",
  "List",
];
const action = fc
  .tuple(fc.constantFrom(...SERVICES), fc.constantFrom(...NAMES), fc.boolean())
  .map(([service, name, upper]) => (upper ? `${service}:${name}`.toUpperCase() : `${service}:${name}`));
const pattern = fc.oneof(
  action,
  fc.constantFrom(...SERVICES).map((service) => `${service}:*`),
  fc
    .tuple(fc.constantFrom(...SERVICES), fc.constantFrom("Get*", "*Object", "?ecrypt", "Pass*", "D*"))
    .map(([s, n]) => `${s}:${n}`),
  fc.constantFrom("*", "*:*", "s*", "*:Get*", "made:Up"),
);
const patterns = fc.array(pattern, { maxLength: 4 });
const resource = fc.constantFrom("arn:aws:s3:::b/k", "arn:aws:s3:::c/k", "arn:aws:iam::111122223333:role/r");
const resourcePattern = fc.constantFrom(
  "*",
  "arn:aws:s3:::b/*",
  "arn:aws:s3:::*",
  "arn:aws:iam::*:role/*",
  "arn:aws:s3:::c/k",
);

const statementOf = (effect: "Allow" | "Deny", body: Record<string, unknown>) => {
  const [statement] = policy({ Statement: [{ Effect: effect, ...body }] }).statements;
  if (!statement) throw new Error("no statement");
  return statement;
};

describe("NotAction / NotResource laws", () => {
  it("Allow NotAction P grants exactly the actions Allow Action P does not", () => {
    fc.assert(
      fc.property(patterns, action, (list, asked) => {
        const plain = statementOf("Allow", { Action: list, Resource: "*" });
        const negated = statementOf("Allow", { NotAction: list, Resource: "*" });
        expect(statementAllows(negated, asked)).toBe(!statementAllows(plain, asked));
      }),
      RUNS,
    );
  });

  it("NotAction of a union excludes what either part excludes; Action of a union grants what either grants", () => {
    fc.assert(
      fc.property(patterns, patterns, action, (p, q, asked) => {
        const not = (list: string[]) =>
          statementAllows(statementOf("Allow", { NotAction: list, Resource: "*" }), asked);
        const yes = (list: string[]) =>
          statementAllows(statementOf("Allow", { Action: list, Resource: "*" }), asked);
        expect(not([...p, ...q])).toBe(not(p) && not(q));
        expect(yes([...p, ...q])).toBe(yes(p) || yes(q));
      }),
      RUNS,
    );
  });

  it("NotResource R covers exactly the resources Resource R does not", () => {
    fc.assert(
      fc.property(fc.array(resourcePattern, { maxLength: 3 }), resource, (list, asked) => {
        const plain = statementOf("Allow", { Action: "*", Resource: list });
        const negated = statementOf("Allow", { Action: "*", NotResource: list });
        expect(statementAllows(negated, "s3:GetObject", asked)).toBe(
          !statementAllows(plain, "s3:GetObject", asked),
        );
      }),
      RUNS,
    );
  });

  it("a Deny never grants and an Allow never denies, whatever their elements", () => {
    fc.assert(
      fc.property(patterns, fc.boolean(), action, resource, (list, not, asked, where) => {
        const body = { [not ? "NotAction" : "Action"]: list, Resource: "*" };
        expect(statementAllows(statementOf("Deny", body), asked, where)).toBe(false);
        expect(statementDenies(statementOf("Allow", body), asked, where)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe("evaluateAccess laws", () => {
  const statementArb = fc.record({
    Effect: fc.constantFrom("Allow", "Deny"),
    Action: patterns,
    Resource: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
    conditional: fc.boolean(),
  });
  const build = (list: { Effect: string; Action: string[]; Resource: string[]; conditional: boolean }[]) =>
    policy({
      Statement: list.map(({ conditional, ...rest }) =>
        conditional ? { ...rest, Condition: { Bool: { "aws:SecureTransport": "true" } } } : rest,
      ),
    }).statements;

  it("an unconditional Deny that applies always decides 'denied'; otherwise unconditional Allows decide", () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 5 }), action, resource, (list, asked, where) => {
        const parsed = build(list);
        const verdict = evaluateAccess(parsed, asked, where);
        const applies = (s: (typeof parsed)[number]) =>
          s.effect === "Allow" ? statementAllows(s, asked, where) : statementDenies(s, asked, where);
        const hardDeny = parsed.some((s) => s.effect === "Deny" && s.conditions.length === 0 && applies(s));
        const hardAllow = parsed.some((s) => s.effect === "Allow" && s.conditions.length === 0 && applies(s));
        const softAllow = parsed.some((s) => s.effect === "Allow" && applies(s));
        const expected = hardDeny
          ? "denied"
          : hardAllow
            ? "allowed"
            : softAllow
              ? "conditional"
              : "not-allowed";
        expect(verdict.decision).toBe(expected);
      }),
      RUNS,
    );
  });

  it("does not depend on statement order", () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 5 }), action, resource, (list, asked, where) => {
        const forward = evaluateAccess(build(list), asked, where).decision;
        const backward = evaluateAccess(build([...list].reverse()), asked, where).decision;
        expect(backward).toBe(forward);
      }),
      RUNS,
    );
  });
});
