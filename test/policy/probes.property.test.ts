import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionMatches, resourceMatches } from "../../shared/policy";
import {
  ANY_ACCOUNT_LITERAL,
  EVERYWHERE,
  actionPatternCoversService,
  patternCoversType,
  servicesCoveredBy,
} from "../../shared/policy/probes";
import { IAM_ROLE, KMS_KEY } from "../../shared/policy/resource-types";

/**
 * Soundness of the probe technique: whenever a pattern is judged to cover every resource (or action), it
 * matches every concrete one we can generate. Each property also asserts the judgement is sometimes true and
 * sometimes false, so it cannot pass vacuously.
 */
const RUNS = { numRuns: 1000 };

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
const NAME_CHARS = "abcXYZ019+=,.@_-";
const name = fc.string({ unit: fc.constantFrom(...NAME_CHARS), minLength: 1, maxLength: 12 });
const path = fc.array(name, { maxLength: 2 }).map((parts) => parts.map((p) => `${p}/`).join(""));

const segment = (options: string[]) => fc.constantFrom(...options);
const rolePattern = fc.oneof(
  fc.constantFrom("*", "arn:*", "arn:aws:iam::*", "arn:aws:*"),
  fc
    .tuple(
      segment(["aws", "*", "aws-cn", "a?s"]),
      segment(["iam", "*", "i*"]),
      segment(["", "*"]),
      segment(["111122223333", "*", "1111*", "????????????", "???????????"]),
      segment([
        "role/*",
        "role/a*",
        "*",
        "role/?*",
        "role/??*",
        "user/*",
        "role/${aws:username}",
        "r*",
        "role/*/*",
        "*/*",
      ]),
    )
    .map(([p, s, r, a, rest]) => `arn:${p}:${s}:${r}:${a}:${rest}`),
);
const keyPattern = fc.oneof(
  fc.constantFrom("*", "arn:aws:kms:*"),
  fc
    .tuple(
      segment(["aws", "*"]),
      segment(["kms", "*"]),
      segment(["*", "us-east-1", "us-*", "??-*-?"]),
      segment(["*", "111122223333", "????????????", "1*"]),
      segment(["key/*", "*", "key/mrk-*", "alias/*", "key/?*", "k*"]),
    )
    .map(([p, s, r, a, rest]) => `arn:${p}:${s}:${r}:${a}:${rest}`),
);
const region = fc.constantFrom("us-east-1", "eu-west-3", "ap-southeast-2", "il-central-1", "us-gov-west-1");
const keyId = fc.oneof(
  fc.uuid(),
  fc
    .string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 32, maxLength: 32 })
    .map((h) => `mrk-${h}`),
);

describe("probe coverage is sound", () => {
  it("a pattern judged to cover every role (in its account) matches every concrete role there", () => {
    let covered = 0;
    fc.assert(
      fc.property(rolePattern, digits(12), path, name, (pattern, otherAccount, rolePath, roleName) => {
        if (!patternCoversType(pattern, IAM_ROLE, ANY_ACCOUNT_LITERAL)) return;
        covered++;
        const literalAccount = pattern.split(":")[4];
        const account = literalAccount && /^\d{12}$/.test(literalAccount) ? literalAccount : otherAccount;
        const partition = pattern.split(":")[1] === "aws-cn" ? "aws-cn" : "aws";
        expect(resourceMatches(pattern, `arn:${partition}:iam::${account}:role/${rolePath}${roleName}`)).toBe(
          true,
        );
      }),
      RUNS,
    );
    expect(covered).toBeGreaterThan(50);
    expect(covered).toBeLessThan(RUNS.numRuns);
  });

  it("a pattern judged to cover every KMS key everywhere matches every key of every account and region", () => {
    let covered = 0;
    fc.assert(
      fc.property(keyPattern, region, digits(12), keyId, (pattern, where, account, id) => {
        if (!patternCoversType(pattern, KMS_KEY, EVERYWHERE)) return;
        covered++;
        expect(resourceMatches(pattern, `arn:aws:kms:${where}:${account}:key/${id}`)).toBe(true);
      }),
      RUNS,
    );
    expect(covered).toBeGreaterThan(50);
    expect(covered).toBeLessThan(RUNS.numRuns);
  });

  const service = fc.constantFrom("s3", "ec2", "ecr", "iam", "kms", "elasticloadbalancing", "s3express", "e");
  const actionName = fc.string({ unit: fc.constantFrom(..."abcDEFgetPut"), minLength: 1, maxLength: 14 });
  const actionPattern = fc.oneof(
    fc
      .tuple(
        fc.constantFrom("s3", "ec2", "e*", "*", "s?", "EC2"),
        fc.constantFrom("*", "?*", "Get*", "*Object", "??*"),
      )
      .map(([s, n]) => `${s}:${n}`),
    fc.constantFrom("*", "s3*", "e*", "*3", "ec2"),
  );

  it("a pattern judged to cover a whole service matches every action of it", () => {
    let covered = 0;
    fc.assert(
      fc.property(actionPattern, service, actionName, (pattern, svc, n) => {
        if (!actionPatternCoversService(pattern, svc)) return;
        covered++;
        expect(actionMatches(pattern, `${svc}:${n}`)).toBe(true);
      }),
      RUNS,
    );
    expect(covered).toBeGreaterThan(50);
    expect(covered).toBeLessThan(RUNS.numRuns);
  });

  it("servicesCoveredBy names exactly the services the pattern covers wholly", () => {
    fc.assert(
      fc.property(actionPattern, service, actionName, (pattern, svc, n) => {
        const glob = servicesCoveredBy(pattern);
        const inGlob = glob !== undefined && actionMatches(glob, svc);
        expect(inGlob).toBe(actionPatternCoversService(pattern, svc));
        if (inGlob) expect(actionMatches(pattern, `${svc}:${n}`)).toBe(true);
      }),
      RUNS,
    );
  });
});
