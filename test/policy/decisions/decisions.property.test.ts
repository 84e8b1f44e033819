import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  evaluateAccess,
  findAdminGrants,
  findEscalationPaths,
  findKmsDecryptOnAllKeys,
  findServiceWildcards,
  isFullAdmin,
  statementAllows,
} from "../../../shared/policy";
import type { PolicyDocument, StatementRef } from "../../../shared/policy";
import { ESCALATION_METHODS } from "../../../shared/policy/decisions/escalation-methods";
import { policy } from "../support";

/**
 * The decisions agree with the statement evaluator: whatever a decision reports as granted on EVERY resource
 * is allowed by that statement on randomly drawn concrete resources and actions. Each property also checks
 * that the decision fires often enough that it is not passing vacuously.
 */
const RUNS = { numRuns: 400 };

const ACCOUNT = "111122223333";
const actionPattern = fc.constantFrom(
  "*",
  "*:*",
  "iam:*",
  "iam:Put*",
  "iam:PassRole",
  "kms:*",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "s3:*",
  "s3:GetObject",
  "ec2:RunInstances",
  "lambda:*",
  "sts:AssumeRole",
  "ec2:Describe*",
  "made:Up",
);
const resourcePattern = fc.constantFrom(
  "*",
  "arn:aws:kms:*:*:key/*",
  `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
  `arn:aws:iam::${ACCOUNT}:role/*`,
  "arn:aws:iam::*:user/${aws:username}",
  "arn:aws:s3:::b/*",
  `arn:aws:iam::${ACCOUNT}:*`,
  "arn:aws:lambda:*:*:function:*",
);
const statement = fc.record({
  Effect: fc.constantFrom("Allow", "Allow", "Deny"),
  actions: fc.tuple(fc.boolean(), fc.array(actionPattern, { maxLength: 3 })),
  resources: fc.tuple(fc.boolean(), fc.array(resourcePattern, { minLength: 1, maxLength: 2 })),
  conditional: fc.boolean(),
});
const documentArb = fc.array(statement, { minLength: 1, maxLength: 4 }).map((list) =>
  policy({
    Version: "2012-10-17",
    Statement: list.map(({ Effect, actions: [notA, a], resources: [notR, r], conditional }) => ({
      Effect,
      [notA && Effect === "Allow" ? "NotAction" : "Action"]: a,
      [notR && Effect === "Deny" ? "NotResource" : "Resource"]: r,
      ...(conditional ? { Condition: { Bool: { "aws:SecureTransport": "true" } } } : {}),
    })),
  }),
);

const hex = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
const account = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 12, maxLength: 12 });
const region = fc.constantFrom("us-east-1", "eu-central-2", "ap-south-1");
const anyKey = fc.tuple(region, account, fc.uuid()).map(([r, a, id]) => `arn:aws:kms:${r}:${a}:key/${id}`);
const name = fc.string({ unit: fc.constantFrom(..."abcXYZ09-_"), minLength: 1, maxLength: 10 });
const anyAction = fc
  .tuple(fc.constantFrom("s3", "iam", "kms", "ec2", "zzz"), name)
  .map(([s, n]) => `${s}:${n}`);
const anyResource = fc.oneof(
  anyKey,
  name.map((n) => `arn:aws:s3:::${n}/${n}`),
  hex(8).map((h) => `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-${h}`),
);

const statementAt = (document: PolicyDocument, ref: StatementRef) => {
  const found = document.statements.find((s) => s.index === ref.index);
  if (!found) throw new Error(`no statement ${ref.index}`);
  return found;
};

describe("decisions agree with the evaluator", () => {
  it("full admin statements allow any action on any resource", () => {
    let fired = 0;
    fc.assert(
      fc.property(documentArb, anyAction, anyResource, (document, action, resource) => {
        for (const grant of findAdminGrants(document).filter(isFullAdmin)) {
          fired++;
          expect(statementAllows(statementAt(document, grant.statement), action, resource)).toBe(true);
        }
      }),
      RUNS,
    );
    expect(fired).toBeGreaterThan(5);
  });

  it("KMS grants allow their actions on keys of any account and region, and are never fully denied", () => {
    let fired = 0;
    fc.assert(
      fc.property(documentArb, anyKey, (document, key) => {
        for (const grant of findKmsDecryptOnAllKeys(document)) {
          fired++;
          for (const action of grant.actions) {
            expect(statementAllows(statementAt(document, grant.statement), action, key)).toBe(true);
            expect(evaluateAccess(document.statements, action, key).decision).not.toBe("denied");
          }
        }
      }),
      RUNS,
    );
    expect(fired).toBeGreaterThan(20);
  });

  it("an unconditional Allow of kms:Decrypt on Resource * with no Deny is always reported", () => {
    fc.assert(
      fc.property(documentArb, (document) => {
        const hasDeny = document.statements.some((s) => s.effect === "Deny");
        const plain = document.statements.some(
          (s) =>
            s.effect === "Allow" &&
            !s.resource?.not &&
            s.resource?.values.includes("*") &&
            statementAllows(s, "kms:Decrypt"),
        );
        if (!hasDeny && plain) {
          expect(findKmsDecryptOnAllKeys(document).some((g) => g.actions.includes("kms:Decrypt"))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("escalation grants allow each required action on concrete resources of the type in the account", () => {
    let fired = 0;
    fc.assert(
      fc.property(documentArb, name, region, (document, resourceName, where) => {
        for (const path of findEscalationPaths(document)) {
          fired++;
          const method = ESCALATION_METHODS.find((m) => m.id === path.method);
          for (const grant of path.grants) {
            const requirement = method?.requires.find((r) => r.action === grant.action);
            const arn = (requirement?.resource.template ?? "")
              .replace("{partition}", "aws")
              .replace("{region}", where)
              .replace("{account}", ACCOUNT)
              .replace("{name}", resourceName);
            expect(statementAllows(statementAt(document, grant.statement), grant.action, arn)).toBe(true);
          }
        }
      }),
      RUNS,
    );
    expect(fired).toBeGreaterThan(20);
  });

  it("a service wildcard on a named service allows every action of that service", () => {
    let fired = 0;
    fc.assert(
      fc.property(documentArb, name, (document, actionName) => {
        for (const grant of findServiceWildcards(document)) {
          if (/[*?]/.test(grant.services)) continue;
          fired++;
          expect(
            statementAllows(statementAt(document, grant.statement), `${grant.services}:${actionName}`),
          ).toBe(true);
        }
      }),
      RUNS,
    );
    expect(fired).toBeGreaterThan(20);
  });

  it("only Allow statements are ever reported", () => {
    fc.assert(
      fc.property(documentArb, (document) => {
        const refs = [
          ...findAdminGrants(document).map((g) => g.statement),
          ...findKmsDecryptOnAllKeys(document).map((g) => g.statement),
          ...findServiceWildcards(document).map((g) => g.statement),
          ...findEscalationPaths(document).flatMap((p) => p.grants.map((g) => g.statement)),
        ];
        for (const ref of refs) expect(statementAt(document, ref).effect).toBe("Allow");
      }),
      RUNS,
    );
  });
});
