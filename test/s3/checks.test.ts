import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import { parseConfig } from "../../shared/config/load";
import { parseBucketPolicy } from "../../shared/resources/s3-bucket/policy";
import type { S3BucketState } from "../../shared/resources/s3-bucket/state";
import {
  ALL_OFF,
  ALL_ON,
  BUCKET,
  BUCKET_ARN,
  bucketState,
  ENCRYPTION,
  KEY_ARN,
  PUBLIC_POLICY,
} from "./support";

const context = { config: parseConfig({}) };
const check = (id: string) => {
  const found = checkById(id) as CheckDefinition<"AWS::S3::Bucket"> | undefined;
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const run = (id: string, state: S3BucketState) => {
  const c = check(id);
  const undecided = c.undecided?.(state, context);
  return undecided ? { undecided } : { violations: c.evaluate(state, context) };
};
const policy = (...Statement: Record<string, unknown>[]) => parseBucketPolicy({ Statement }) ?? null;
const KMS = { algorithm: "aws:kms", kmsKeyId: KEY_ARN, bucketKeyEnabled: true };
const SSE_S3 = { algorithm: "AES256" };
const known = <T>(value: T) => ({ known: true as const, value, capturedAt: "2025-03-17T09:40:12.511Z" });

describe("catalog entries", () => {
  it.each([
    [
      "S3.8",
      "HIGH",
      ["FSBP S3.8", "CIS 2.1.4"],
      { id: "restore-s3-bucket-public-access-block", defaultMode: "auto" },
    ],
    [
      "S3.5",
      "MEDIUM",
      ["FSBP S3.5", "CIS 2.1.1"],
      { id: "add-s3-secure-transport-deny", defaultMode: "dry-run" },
    ],
    [PUBLIC_POLICY, "CRITICAL", [], undefined],
    [ENCRYPTION, "MEDIUM", [], { id: "restore-s3-bucket-encryption", defaultMode: "auto" }],
  ])("%s: %s, %j, %j", (id, severity, controls, remediation) => {
    const c = check(id);
    expect(c.severity).toBe(severity);
    expect(c.controls).toEqual(controls);
    expect(c.remediation).toEqual(remediation);
    expect(c.resourceType).toBe("AWS::S3::Bucket");
    expect(c.triggers.config).toEqual(["AWS::S3::Bucket"]);
    expect(c.iamActions).toEqual([
      "s3:GetBucketTagging",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketPolicy",
      "config:GetResourceConfigHistory",
    ]);
  });

  it("each check watches exactly the calls that change its setting", () => {
    const names = (id: string) => check(id).triggers.cloudTrail.flatMap((t) => t.eventNames);
    expect(names("S3.8")).toEqual(["PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock"]);
    expect(names("S3.5")).toEqual(["PutBucketPolicy", "DeleteBucketPolicy"]);
    expect(names(PUBLIC_POLICY)).toEqual(["PutBucketPolicy", "DeleteBucketPolicy"]);
    expect(names(ENCRYPTION)).toEqual(["DeleteBucketEncryption", "PutBucketEncryption"]);
  });
});

describe("S3.8 bucket-level Block Public Access", () => {
  it("compliant: all four on", () => {
    expect(run("S3.8", bucketState({ publicAccessBlock: ALL_ON }))).toEqual({ violations: [] });
  });

  it("non-compliant: some off, with what was there before", () => {
    const state = bucketState({
      publicAccessBlock: { ...ALL_ON, blockPublicPolicy: false, restrictPublicBuckets: false },
      publicAccessBlockChange: { call: "PutBucketPublicAccessBlock", before: known(ALL_ON) },
    });
    expect(run("S3.8", state)).toEqual({
      violations: [
        {
          summary: `bucket ${BUCKET}: Block Public Access off for blockPublicPolicy, restrictPublicBuckets (PutBucketPublicAccessBlock)`,
          evidence: {
            bucketName: BUCKET,
            setting: "publicAccessBlock",
            publicAccessBlock: state.publicAccessBlock,
            off: ["blockPublicPolicy", "restrictPublicBuckets"],
            before: ALL_ON,
            beforeSource: "AWS Config item captured at 2025-03-17T09:40:12.511Z",
          },
        },
      ],
    });
  });

  it("non-compliant: no configuration at all (deleted); unknown before is said so", () => {
    const state = bucketState({
      publicAccessBlock: null,
      publicAccessBlockChange: {
        call: "DeleteBucketPublicAccessBlock",
        before: { known: false, reason: "no history" },
      },
    });
    const result = run("S3.8", state);
    expect(result.violations?.[0]?.summary).toBe(
      `bucket ${BUCKET}: no bucket-level Block Public Access (DeleteBucketPublicAccessBlock)`,
    );
    expect(result.violations?.[0]?.evidence).toMatchObject({
      publicAccessBlock: null,
      off: ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"],
      before: "unknown",
      beforeSource: "no history",
    });
  });

  it("not applicable: a source that doesn't say (e.g. a policy change) leaves it undecided", () => {
    expect(run("S3.8", bucketState({ policy: null }))).toEqual({
      undecided: "this source does not say how the bucket blocks public access",
    });
    expect(run("S3.8", bucketState({ publicAccessBlock: ALL_OFF })).violations).toHaveLength(1);
  });
});

describe("VIGIL.S3.PUBLIC_POLICY", () => {
  const publicRead = {
    Sid: "PublicRead",
    Effect: "Allow",
    Principal: "*",
    Action: "s3:GetObject",
    Resource: `${BUCKET_ARN}/*`,
  };

  it("non-compliant: public read is HIGH, with what is exposed", () => {
    expect(run(PUBLIC_POLICY, bucketState({ policy: policy(publicRead) }))).toEqual({
      violations: [
        {
          summary: `bucket ${BUCKET} policy statement PublicRead allows everyone (*): s3:GetObject`,
          evidence: {
            bucketName: BUCKET,
            sid: "PublicRead",
            principal: "*",
            actions: ["s3:GetObject"],
            resources: [`${BUCKET_ARN}/*`],
            access: "read",
            nonRestrictingConditions: [],
          },
          severity: "HIGH",
        },
      ],
    });
  });

  it("non-compliant: write or * is CRITICAL; NotAction says 'every action except'", () => {
    const write = run(
      PUBLIC_POLICY,
      bucketState({ policy: policy({ ...publicRead, Action: ["s3:GetObject", "s3:PutObject"] }) }),
    );
    expect(write.violations?.[0]).toMatchObject({ severity: "CRITICAL", evidence: { access: "write" } });
    const notAction = run(
      PUBLIC_POLICY,
      bucketState({
        policy: policy({ ...publicRead, Sid: undefined, Action: undefined, NotAction: "s3:DeleteBucket" }),
      }),
    );
    expect(notAction.violations?.[0]).toMatchObject({
      summary: `bucket ${BUCKET} policy statement 1 allows everyone (*): every action except s3:DeleteBucket`,
      severity: "CRITICAL",
      evidence: { notActions: ["s3:DeleteBucket"] },
    });
  });

  it("compliant: restricted by the organization, a Deny, or no policy at all", () => {
    const org = { ...publicRead, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } };
    expect(run(PUBLIC_POLICY, bucketState({ policy: policy(org) }))).toEqual({ violations: [] });
    expect(run(PUBLIC_POLICY, bucketState({ policy: policy({ ...publicRead, Effect: "Deny" }) }))).toEqual({
      violations: [],
    });
    expect(run(PUBLIC_POLICY, bucketState({ policy: null }))).toEqual({ violations: [] });
  });

  it("compliant: RestrictPublicBuckets on makes S3 ignore the public grant", () => {
    expect(
      run(PUBLIC_POLICY, bucketState({ policy: policy(publicRead), restrictPublicBuckets: true })),
    ).toEqual({
      violations: [],
    });
    expect(
      run(PUBLIC_POLICY, bucketState({ policy: policy(publicRead), publicAccessBlock: ALL_ON })),
    ).toEqual({
      violations: [],
    });
    expect(
      run(PUBLIC_POLICY, bucketState({ policy: policy(publicRead), restrictPublicBuckets: false }))
        .violations,
    ).toHaveLength(1);
  });

  it("not applicable: the policy is not known", () => {
    expect(run(PUBLIC_POLICY, bucketState({ publicAccessBlock: ALL_OFF }))).toEqual({
      undecided: "this source does not say what the bucket policy is",
    });
  });
});

describe("S3.5 requests must use SSL", () => {
  const deny = {
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };

  it("compliant: the deny is there", () => {
    expect(run("S3.5", bucketState({ policy: policy(deny) }))).toEqual({ violations: [] });
  });

  it("non-compliant: no policy, or a policy without the deny", () => {
    expect(run("S3.5", bucketState({ policy: null }))).toEqual({
      violations: [
        {
          summary: `bucket ${BUCKET} accepts plain-HTTP requests: it has no bucket policy`,
          evidence: {
            bucketName: BUCKET,
            setting: "secureTransport",
            hasPolicy: false,
            requires:
              'Deny s3:* to Principal "*" on the bucket and bucket/* when aws:SecureTransport is "false"',
          },
        },
      ],
    });
    const objectsOnly = run(
      "S3.5",
      bucketState({ policy: policy({ ...deny, Resource: `${BUCKET_ARN}/*` }) }),
    );
    expect(objectsOnly.violations?.[0]?.summary).toBe(
      `bucket ${BUCKET} accepts plain-HTTP requests: its policy does not deny them`,
    );
  });

  it("not applicable: the policy is not known", () => {
    expect(run("S3.5", bucketState({ encryption: [SSE_S3] }))).toHaveProperty("undecided");
  });
});

describe("VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED", () => {
  const deleted = (before: S3BucketState["encryptionChange"]) =>
    bucketState({ encryption: [SSE_S3], encryptionChange: before });

  it("non-compliant: a KMS configuration deleted, with the exact one to restore", () => {
    const state = deleted({ call: "DeleteBucketEncryption", before: known([KMS]) });
    expect(run(ENCRYPTION, state)).toEqual({
      violations: [
        {
          summary: `bucket ${BUCKET}: default encryption downgraded from SSE-KMS key ${KEY_ARN} with an S3 Bucket Key to SSE-S3 (AES256) (DeleteBucketEncryption)`,
          evidence: {
            bucketName: BUCKET,
            setting: "encryption",
            call: "DeleteBucketEncryption",
            now: "SSE-S3 (AES256)",
            before: `SSE-KMS key ${KEY_ARN} with an S3 Bucket Key`,
            beforeSource: "AWS Config item captured at 2025-03-17T09:40:12.511Z",
            restore: [KMS],
          },
        },
      ],
    });
  });

  it("non-compliant: DSSE-KMS replaced by SSE-S3 through PutBucketEncryption", () => {
    const dsse = { algorithm: "aws:kms:dsse", kmsKeyId: KEY_ARN };
    const result = run(ENCRYPTION, deleted({ call: "PutBucketEncryption", before: known([dsse]) }));
    expect(result.violations?.[0]?.evidence).toMatchObject({ call: "PutBucketEncryption", restore: [dsse] });
  });

  it("compliant: an SSE-S3 configuration deleted or re-put changes nothing", () => {
    expect(run(ENCRYPTION, deleted({ call: "DeleteBucketEncryption", before: known([SSE_S3]) }))).toEqual({
      violations: [],
    });
    expect(run(ENCRYPTION, deleted({ call: "PutBucketEncryption", before: known(null) }))).toEqual({
      violations: [],
    });
  });

  it("a deletion with an unknown past is LOW and restores SSE-S3; a new SSE-S3 configuration is not reported", () => {
    const unknown = { known: false as const, reason: "AWS Config has not recorded this bucket" };
    const result = run(ENCRYPTION, deleted({ call: "DeleteBucketEncryption", before: unknown }));
    expect(result.violations).toEqual([
      {
        summary: `bucket ${BUCKET}: default encryption configuration deleted; what it was is unknown (AWS Config has not recorded this bucket), S3 now applies SSE-S3 (AES256)`,
        evidence: {
          bucketName: BUCKET,
          setting: "encryption",
          call: "DeleteBucketEncryption",
          now: "SSE-S3 (AES256)",
          before: "unknown",
          beforeSource: "AWS Config has not recorded this bucket",
          restore: [SSE_S3],
        },
        severity: "LOW",
      },
    ]);
    expect(run(ENCRYPTION, deleted({ call: "PutBucketEncryption", before: unknown }))).toEqual({
      violations: [],
    });
  });

  it("compliant: a KMS key in force (a new KMS configuration, a Config item) resolves", () => {
    expect(run(ENCRYPTION, bucketState({ encryption: [KMS] }))).toEqual({ violations: [] });
  });

  it("not applicable: an SSE-S3 bucket seen without a change, or nothing known", () => {
    expect(run(ENCRYPTION, bucketState({ encryption: [SSE_S3] }))).toHaveProperty("undecided");
    expect(run(ENCRYPTION, bucketState())).toHaveProperty("undecided");
  });
});
