import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOutsiderDenyCondition, isRestrictingCondition } from "../../shared/policy";
import type { ConditionEntry } from "../../shared/policy";
import { policy } from "./support";

const RUNS = { numRuns: 500 };

const STRING_KEYS = [
  "aws:SourceVpce",
  "aws:PrincipalOrgID",
  "aws:PrincipalAccount",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:PrincipalArn",
  "aws:userid",
  "aws:PrincipalOrgPaths",
];
const POSITIVE = ["StringEquals", "StringLike", "ArnLike", "ArnEquals", "StringEqualsIgnoreCase"];
const NEGATED: Record<string, string> = {
  StringEquals: "StringNotEquals",
  StringLike: "StringNotLike",
  ArnLike: "ArnNotLike",
  ArnEquals: "ArnNotEquals",
  StringEqualsIgnoreCase: "StringNotEqualsIgnoreCase",
};
const value = fc.oneof(
  fc.constantFrom(
    "o-a1b2c3d4e5",
    "111122223333",
    "vpce-1a2b3c4d",
    "AROAEXAMPLE:*",
    "o-a1b2c3d4e5/*",
    "*",
    "o-*",
    "",
  ),
  fc.constantFrom("arn:aws:iam::111122223333:role/*", "arn:aws:s3:::logs-*", "arn:aws:sns:*:*:*", "*:alice"),
);
const values = fc.array(value, { minLength: 1, maxLength: 3 });

/** The condition entry the normaliser makes of `{operator: {key: values}}`. */
function entryOf(operator: string, key: string, list: string[]): ConditionEntry {
  const [statement] = policy({
    Statement: { Effect: "Allow", Action: "*", Principal: "*", Condition: { [operator]: { [key]: list } } },
  }).statements;
  const [entry] = statement?.conditions ?? [];
  if (!entry) throw new Error("no condition entry");
  return entry;
}

describe("condition semantics", () => {
  it("IfExists and ForAllValues never restrict an Allow, whatever the key and values", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POSITIVE, "IpAddress"),
        fc.constantFrom(...STRING_KEYS, "aws:SourceIp"),
        values,
        fc.boolean(),
        (op, key, list, forAll) => {
          const operator = forAll ? `ForAllValues:${op}` : `${op}IfExists`;
          expect(isRestrictingCondition(entryOf(operator, key, list))).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it("values are OR-ed: an entry restricts exactly when each of its values restricts alone", () => {
    let restricting = 0;
    fc.assert(
      fc.property(fc.constantFrom(...POSITIVE), fc.constantFrom(...STRING_KEYS), values, (op, key, list) => {
        const whole = isRestrictingCondition(entryOf(op, key, list));
        if (whole) restricting++;
        expect(whole).toBe(list.every((v) => isRestrictingCondition(entryOf(op, key, [v]))));
      }),
      RUNS,
    );
    expect(restricting).toBeGreaterThan(20);
  });

  it("a positive entry restricts an Allow exactly when its negation shuts outsiders out in a Deny", () => {
    fc.assert(
      fc.property(fc.constantFrom(...POSITIVE), fc.constantFrom(...STRING_KEYS), values, (op, key, list) => {
        const negated = NEGATED[op] ?? op;
        expect(isOutsiderDenyCondition(entryOf(negated, key, list))).toBe(
          isRestrictingCondition(entryOf(op, key, list)),
        );
        expect(isOutsiderDenyCondition(entryOf(op, key, list))).toBe(false);
        expect(isRestrictingCondition(entryOf(negated, key, list))).toBe(false);
      }),
      RUNS,
    );
  });

  it("a wildcard-only value opens any Like entry; keys are matched in any case", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("StringLike", "ArnLike"),
        fc.constantFrom(...STRING_KEYS),
        values,
        fc.boolean(),
        (op, key, list, upper) => {
          const written = upper ? key.toUpperCase() : key.toLowerCase();
          expect(isRestrictingCondition(entryOf(op, written, [...list, "*"]))).toBe(false);
          expect(isRestrictingCondition(entryOf(op, written, list))).toBe(
            isRestrictingCondition(entryOf(op, key, list)),
          );
        },
      ),
      RUNS,
    );
  });
});
