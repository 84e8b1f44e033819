import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import sm1 from "../../shared/checks/secretsmanager/secretsmanager-1-rotation-enabled";
import sm2 from "../../shared/checks/secretsmanager/secretsmanager-2-rotation-succeeds";
import sm3 from "../../shared/checks/secretsmanager/secretsmanager-3-unused";
import sm4 from "../../shared/checks/secretsmanager/secretsmanager-4-rotation-age";
import { ARN, NAME, ROTATION_LAMBDA, at, context, secret } from "./support";

const ctx = context();
const ASOF = "2025-06-01T12:00:00Z";
const daysBefore = (days: number) => at(ASOF, -days).toISOString();
const ALL = [sm1, sm2, sm3, sm4] as CheckDefinition<"AWS::SecretsManager::Secret">[];

describe("Secrets Manager check definitions", () => {
  it.each([
    ["SecretsManager.1", sm1],
    ["SecretsManager.2", sm2],
    ["SecretsManager.3", sm3],
    ["SecretsManager.4", sm4],
  ])("%s: MEDIUM, FSBP, registered, read-only (never GetSecretValue), no remediation", (id, check) => {
    expect(checkById(id)).toBe(check);
    expect(check).toMatchObject({
      severity: "MEDIUM",
      controls: [`FSBP ${id}`],
      resourceType: "AWS::SecretsManager::Secret",
    });
    expect(check.iamActions).toEqual([
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]);
    expect(check.remediation).toBeUndefined();
  });

  it("SecretsManager.1 and .2 follow the calls and rotation events; .3 and .4 are periodic (Config only)", () => {
    const source = "secretsmanager.amazonaws.com";
    expect(sm1.triggers).toEqual({
      cloudTrail: [
        {
          eventSource: source,
          eventNames: ["CreateSecret", "RotateSecret", "CancelRotateSecret", "DeleteSecret", "RestoreSecret"],
        },
      ],
      config: ["AWS::SecretsManager::Secret"],
    });
    expect(sm2.triggers.cloudTrail).toEqual([
      {
        eventSource: source,
        eventNames: [
          "RotationFailed",
          "RotationSucceeded",
          "RotateSecret",
          "CancelRotateSecret",
          "DeleteSecret",
          "RestoreSecret",
        ],
      },
    ]);
    for (const check of [sm3, sm4])
      expect(check.triggers).toEqual({ cloudTrail: [], config: ["AWS::SecretsManager::Secret"] });
  });

  it("a secret that rotates on schedule and is read violates nothing", () => {
    for (const check of ALL) expect(check.evaluate(secret({}, ASOF), ctx)).toEqual([]);
  });

  it("a state that says nothing beyond its identity violates nothing", () => {
    for (const check of ALL) expect(check.evaluate({ arn: ARN, name: NAME, asOf: ASOF }, ctx)).toEqual([]);
  });

  it.each([
    ["scheduled for deletion", { deletedDate: daysBefore(1) }],
    ["a replica (its primary is judged in its own region)", { replica: true }],
  ])("not applicable to any check: a secret %s", (_what, overrides) => {
    const bad = secret(
      {
        rotationEnabled: false,
        lastAccessedDate: daysBefore(400),
        lastRotatedDate: daysBefore(400),
        ...overrides,
      },
      ASOF,
    );
    for (const check of ALL) expect(check.evaluate(bad, ctx)).toEqual([]);
  });

  it("every check is pure", () => {
    const state = secret({ rotationEnabled: false, lastAccessedDate: daysBefore(400) }, ASOF);
    const before = structuredClone(state);
    for (const check of ALL) check.evaluate(state, ctx);
    expect(state).toEqual(before);
  });
});

describe("SecretsManager.1 rotation enabled", () => {
  it("flags a secret known not to rotate, naming the function rotation was cancelled on", () => {
    expect(sm1.evaluate(secret({ rotationEnabled: false }, ASOF), ctx)).toEqual([
      {
        summary: `secret ${NAME} does not rotate automatically`,
        evidence: { secretName: NAME, rotationEnabled: false, rotationLambdaArn: ROTATION_LAMBDA },
      },
    ]);
    const never = secret({ rotationEnabled: false, rotationLambdaArn: undefined }, ASOF);
    expect(sm1.evaluate(never, ctx)[0]?.evidence).toEqual({ secretName: NAME, rotationEnabled: false });
  });

  it("passes a rotating secret; says nothing when rotation is not known", () => {
    expect(sm1.evaluate(secret({ rotationEnabled: true }, ASOF), ctx)).toEqual([]);
    expect(sm1.evaluate(secret({ rotationEnabled: undefined }, ASOF), ctx)).toEqual([]);
  });

  it("not applicable: a secret another service owns and does not rotate (an EventBridge connection's)", () => {
    expect(sm1.evaluate(secret({ rotationEnabled: false, owningService: "events" }, ASOF), ctx)).toEqual([]);
  });
});

describe("SecretsManager.2 rotation succeeds", () => {
  it("flags a reported failure with its step and function", () => {
    const failed = secret(
      { rotationFailure: { at: "2025-06-01T11:00:00Z", step: "setSecret", lambdaArn: ROTATION_LAMBDA } },
      ASOF,
    );
    expect(sm2.evaluate(failed, ctx)).toEqual([
      {
        summary: `rotation of secret ${NAME} failed in the setSecret step`,
        evidence: {
          secretName: NAME,
          failedAt: "2025-06-01T11:00:00Z",
          failedStep: "setSecret",
          rotationLambdaArn: ROTATION_LAMBDA,
        },
      },
    ]);
  });

  it("a failure without a step names the configured function", () => {
    const [v] = sm2.evaluate(secret({ rotationFailure: { at: "2025-06-01T11:00:00Z" } }, ASOF), ctx);
    expect(v?.summary).toBe(`rotation of secret ${NAME} failed`);
    expect(v?.evidence.rotationLambdaArn).toBe(ROTATION_LAMBDA);
  });

  it("flags a rotation stuck in AWSPENDING", () => {
    const stuck = secret({ pendingRotation: { since: daysBefore(2), stuck: true } }, ASOF);
    expect(sm2.evaluate(stuck, ctx)).toEqual([
      {
        summary: `secret ${NAME} has a rotation that never finished: a version is still staged AWSPENDING, and Secrets Manager starts no new rotation until it is cleared`,
        evidence: { secretName: NAME, pendingSince: daysBefore(2) },
      },
    ]);
    expect(sm2.evaluate(secret({ pendingRotation: { stuck: false } }, ASOF), ctx)).toEqual([]);
  });

  it("flags a rotation more than a day overdue, not one due today", () => {
    const overdue = secret({ nextRotationDate: daysBefore(3), lastRotatedDate: daysBefore(33) }, ASOF);
    expect(sm2.evaluate(overdue, ctx)).toEqual([
      {
        summary: `secret ${NAME} missed its scheduled rotation (due by 2025-05-29)`,
        evidence: {
          secretName: NAME,
          nextRotationDate: daysBefore(3),
          lastRotatedDate: daysBefore(33),
          rotationRules: { automaticallyAfterDays: 30 },
        },
      },
    ]);
    expect(sm2.evaluate(secret({ nextRotationDate: daysBefore(0.5) }, ASOF), ctx)).toEqual([]);
  });

  it("not applicable: rotation not enabled (SecretsManager.1's), whatever happened before", () => {
    const off = secret(
      { rotationEnabled: false, rotationFailure: { at: daysBefore(1) }, nextRotationDate: daysBefore(10) },
      ASOF,
    );
    expect(sm2.evaluate(off, ctx)).toEqual([]);
  });

  it("a reported failure counts even when the rotation setting is not known; the live signals need it on", () => {
    const unknown = secret(
      {
        rotationEnabled: undefined,
        rotationFailure: { at: daysBefore(1) },
        pendingRotation: { stuck: true },
        nextRotationDate: daysBefore(10),
      },
      ASOF,
    );
    expect(sm2.evaluate(unknown, ctx).map((v) => v.summary)).toEqual([`rotation of secret ${NAME} failed`]);
  });
});

describe("SecretsManager.3 unused", () => {
  it("flags a secret last read more than unusedForDays ago (a day's grace: Secrets Manager keeps the date only)", () => {
    const [v] = sm3.evaluate(secret({ lastAccessedDate: "2025-02-28T00:00:00.000Z" }, ASOF), ctx);
    expect(v).toEqual({
      summary: `secret ${NAME} has not been read for 93 days (last read 2025-02-28; limit 90 days)`,
      evidence: {
        secretName: NAME,
        lastAccessedDate: "2025-02-28T00:00:00.000Z",
        daysUnused: 93,
        unusedForDays: 90,
      },
    });
    // Recorded as 3 March, 90.5 days before: the read may have been as late as 23:59 that day, 89.5 days before.
    expect(sm3.evaluate(secret({ lastAccessedDate: "2025-03-03T00:00:00.000Z" }, ASOF), ctx)).toEqual([]);
    expect(sm3.evaluate(secret({ lastAccessedDate: "2025-03-02T00:00:00.000Z" }, ASOF), ctx)).toHaveLength(1);
  });

  it("flags a secret never read since its creation more than unusedForDays ago", () => {
    const never = secret({ lastAccessedDate: undefined, createdDate: daysBefore(120) }, ASOF);
    expect(sm3.evaluate(never, ctx)).toEqual([
      {
        summary: `secret ${NAME} has never been read since it was created 120 days ago (limit 90 days)`,
        evidence: {
          secretName: NAME,
          lastAccessedDate: null,
          createdDate: daysBefore(120),
          daysUnused: 120,
          unusedForDays: 90,
        },
      },
    ]);
    expect(
      sm3.evaluate(secret({ lastAccessedDate: undefined, createdDate: daysBefore(30) }, ASOF), ctx),
    ).toEqual([]);
  });

  it("takes the limit from config", () => {
    const state = secret({ lastAccessedDate: daysBefore(40) }, ASOF);
    expect(sm3.evaluate(state, ctx)).toEqual([]);
    expect(sm3.evaluate(state, context({ secretsManager: { unusedForDays: 30 } }))).toHaveLength(1);
  });

  it("says nothing without the dates it needs", () => {
    const state = secret({ lastAccessedDate: undefined, createdDate: undefined }, ASOF);
    expect(sm3.evaluate(state, ctx)).toEqual([]);
  });
});

describe("SecretsManager.4 rotation age", () => {
  it("flags a secret last rotated more than maxDaysSinceRotation ago", () => {
    expect(sm4.evaluate(secret({ lastRotatedDate: daysBefore(91) }, ASOF), ctx)).toEqual([
      {
        summary: `secret ${NAME} was last rotated 91 days ago (limit 90 days)`,
        evidence: {
          secretName: NAME,
          lastRotatedDate: daysBefore(91),
          daysSinceRotation: 91,
          maxDaysSinceRotation: 90,
        },
      },
    ]);
    expect(sm4.evaluate(secret({ lastRotatedDate: daysBefore(90) }, ASOF), ctx)).toEqual([]);
  });

  it("a secret never rotated is as old as the secret", () => {
    const never = secret(
      { rotationEnabled: false, lastRotatedDate: undefined, createdDate: daysBefore(200) },
      ASOF,
    );
    expect(sm4.evaluate(never, ctx)[0]).toEqual({
      summary: `secret ${NAME} has never been rotated since it was created 200 days ago (limit 90 days)`,
      evidence: {
        secretName: NAME,
        lastRotatedDate: null,
        createdDate: daysBefore(200),
        daysSinceRotation: 200,
        maxDaysSinceRotation: 90,
      },
    });
    const young = secret({ lastRotatedDate: undefined, createdDate: daysBefore(5) }, ASOF);
    expect(sm4.evaluate(young, ctx)).toEqual([]);
  });

  it("takes the limit from config; not applicable to a secret another service owns and does not rotate", () => {
    const state = secret({ lastRotatedDate: daysBefore(40) }, ASOF);
    expect(sm4.evaluate(state, context({ secretsManager: { maxDaysSinceRotation: 30 } }))).toHaveLength(1);
    const owned = secret(
      { rotationEnabled: false, owningService: "events", lastRotatedDate: daysBefore(400) },
      ASOF,
    );
    expect(sm4.evaluate(owned, ctx)).toEqual([]);
    const rdsManaged = secret({ owningService: "rds", lastRotatedDate: daysBefore(400) }, ASOF);
    expect(sm4.evaluate(rdsManaged, ctx)).toHaveLength(1);
  });
});
