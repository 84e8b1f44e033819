import {
  DeleteBucketEncryptionCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import secureTransport, {
  SECURE_TRANSPORT_SID,
} from "../../shared/remediations/add-s3-secure-transport-deny";
import restoreEncryption from "../../shared/remediations/restore-s3-bucket-encryption";
import restoreBlock from "../../shared/remediations/restore-s3-bucket-public-access-block";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  ALL_OFF,
  ALL_ON,
  awsError,
  BUCKET,
  BUCKET_ARN,
  bucketState,
  KEY_ARN,
  publicReadPolicy,
} from "./support";

let t: TestRuntime;
beforeEach(async () => {
  t = await testRuntime();
});
afterEach(() => t.close());

const clients = () => t.runtime.remediationClients!;
const target = { Bucket: BUCKET, ExpectedBucketOwner: ACCOUNT };
const inputs = <T extends object>(command: abstract new (...args: never[]) => T) =>
  t.s3.commandCalls(command as never).map((c) => (c.args[0] as { input: unknown }).input);
const violation = (evidence: Record<string, unknown>): Violation => ({ summary: "test", evidence });
const undoParams = {
  bucketName: BUCKET,
  accountId: ACCOUNT,
  exemptChecks: ["S3.5"],
  exemptionTagKey: "vigil:exempt",
};
const sslDeny = {
  Sid: SECURE_TRANSPORT_SID,
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

describe("undo tags the bucket exempt first, keeping its other tags", () => {
  it("adds the checks to an existing exemption; PutBucketTagging gets the whole set", async () => {
    t.s3.on(GetBucketTaggingCommand).resolves({
      TagSet: [
        { Key: "team", Value: "orders" },
        { Key: "vigil:exempt", Value: "S3.8" },
      ],
    });
    t.s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: [sslDeny] }) });
    const message = await secureTransport.undo(
      { remediationId: secureTransport.id, params: { ...undoParams, hadPolicy: false } },
      clients(),
    );
    expect(inputs(PutBucketTaggingCommand)).toEqual([
      {
        ...target,
        Tagging: {
          TagSet: [
            { Key: "team", Value: "orders" },
            { Key: "vigil:exempt", Value: "S3.8 S3.5" },
            { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
          ],
        },
      },
    ]);
    expect(message).toBe(
      `bucket policy of ${BUCKET} deleted (Vigil had created it for ${SECURE_TRANSPORT_SID}); ${BUCKET} tagged vigil:exempt=S3.8 S3.5`,
    );
    expect(inputs(DeleteBucketPolicyCommand)).toEqual([target]);
  });

  it("a tag write that fails stops undo before anything is put back", async () => {
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
    t.s3.on(PutBucketTaggingCommand).rejects(awsError("AccessDenied"));
    await expect(
      restoreBlock.undo(
        { remediationId: restoreBlock.id, params: { ...undoParams, userSettings: ALL_OFF } },
        clients(),
      ),
    ).rejects.toThrow("AccessDenied");
    expect(inputs(PutPublicAccessBlockCommand)).toEqual([]);
  });
});

describe("add-s3-secure-transport-deny", () => {
  const apply = (dryRun = false) =>
    secureTransport.apply(
      { state: bucketState(), violations: [violation({ setting: "secureTransport" })], dryRun },
      clients(),
    );

  it("a bucket without a policy gets one with just the deny; undo deletes it again", async () => {
    t.s3.on(GetBucketPolicyCommand).rejects(awsError("NoSuchBucketPolicy"));
    const outcome = await apply();
    expect(outcome).toMatchObject({
      result: "succeeded",
      undo: {
        remediationId: "add-s3-secure-transport-deny",
        params: { bucketName: BUCKET, accountId: ACCOUNT, hadPolicy: false },
      },
      awsCalls: 2,
    });
    expect(JSON.parse((inputs(PutBucketPolicyCommand)[0] as { Policy: string }).Policy)).toEqual({
      Version: "2012-10-17",
      Statement: [sslDeny],
    });
  });

  it("undo removes exactly Vigil's statement from a policy the bucket already had", async () => {
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
    t.s3.on(GetBucketPolicyCommand).resolves({
      Policy: JSON.stringify({ Version: "2012-10-17", Statement: [...publicReadPolicy.Statement, sslDeny] }),
    });
    const message = await secureTransport.undo(
      { remediationId: secureTransport.id, params: { ...undoParams, hadPolicy: true } },
      clients(),
    );
    expect(inputs(PutBucketPolicyCommand)).toEqual([
      { ...target, Policy: JSON.stringify({ Version: "2012-10-17", Statement: publicReadPolicy.Statement }) },
    ]);
    expect(message).toContain(`${SECURE_TRANSPORT_SID} removed from the bucket policy of ${BUCKET}`);
  });

  it("undo when the statement is already gone changes nothing but the tags", async () => {
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
    t.s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(publicReadPolicy) });
    const message = await secureTransport.undo(
      { remediationId: secureTransport.id, params: { ...undoParams, hadPolicy: true } },
      clients(),
    );
    expect(inputs(PutBucketPolicyCommand)).toEqual([]);
    expect(message).toContain("no longer has VigilDenyInsecureTransport: nothing removed");
  });

  it("already denied: nothing written", async () => {
    t.s3
      .on(GetBucketPolicyCommand)
      .resolves({ Policy: JSON.stringify({ Statement: [{ ...sslDeny, Sid: "Theirs" }] }) });
    expect(await apply()).toMatchObject({ result: "already-gone" });
    expect(inputs(PutBucketPolicyCommand)).toEqual([]);
  });

  it("a statement with Vigil's Sid that no longer denies HTTP is not overwritten", async () => {
    t.s3.on(GetBucketPolicyCommand).resolves({
      Policy: JSON.stringify({ Statement: [{ ...sslDeny, Resource: `${BUCKET_ARN}/*` }] }),
    });
    expect(await apply()).toMatchObject({
      result: "skipped",
      action: expect.stringContaining("not overwritten"),
    });
    expect(inputs(PutBucketPolicyCommand)).toEqual([]);
  });

  it("a policy that would pass S3's 20 KB limit is left alone", async () => {
    const big = Array.from({ length: 120 }, (_, i) => ({
      Sid: `Reader${i}`,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${String(100000000000 + i)}:role/reader-with-a-long-role-name-${i}` },
      Action: "s3:GetObject",
      Resource: `${BUCKET_ARN}/reports/${i}/*`,
    }));
    t.s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify({ Statement: big }) });
    expect(await apply()).toMatchObject({ result: "skipped", action: expect.stringContaining("20 KB") });
  });

  it("an unreadable live policy fails; a bucket that is gone is skipped; dry-run reads nothing", async () => {
    t.s3.on(GetBucketPolicyCommand).resolves({ Policy: "{" });
    expect(await apply()).toMatchObject({ result: "failed" });
    t.s3.on(GetBucketPolicyCommand).rejects(awsError("NoSuchBucket"));
    expect(await apply()).toMatchObject({
      result: "skipped",
      action: `bucket ${BUCKET} no longer exists: nothing to change`,
    });
    t.s3.reset();
    expect(await apply(true)).toMatchObject({ result: "planned", awsCalls: 0 });
    expect(t.s3.calls()).toHaveLength(0);
  });
});

describe("restore-s3-bucket-encryption", () => {
  const evidence = {
    setting: "encryption",
    call: "PutBucketEncryption",
    before: "x",
    restore: [{ algorithm: "aws:kms", kmsKeyId: KEY_ARN }],
  };

  it("undo of a restored PutBucketEncryption puts back the user's SSE-S3 rule", async () => {
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
    const message = await restoreEncryption.undo(
      {
        remediationId: restoreEncryption.id,
        params: {
          ...undoParams,
          call: "PutBucketEncryption",
          userRules: [{ algorithm: "AES256", bucketKeyEnabled: false }],
        },
      },
      clients(),
    );
    expect(inputs(PutBucketEncryptionCommand)).toEqual([
      {
        ...target,
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false },
          ],
        },
      },
    ]);
    expect(message).toContain(`default encryption on ${BUCKET} set back to SSE-S3 (AES256)`);
  });

  it("undo of a restored DeleteBucketEncryption deletes the configuration again", async () => {
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
    await restoreEncryption.undo(
      {
        remediationId: restoreEncryption.id,
        params: { ...undoParams, call: "DeleteBucketEncryption", userRules: [] },
      },
      clients(),
    );
    expect(inputs(DeleteBucketEncryptionCommand)).toEqual([target]);
    expect(inputs(PutBucketEncryptionCommand)).toEqual([]);
  });

  it("a bucket that is gone is skipped; a payload without the bucket is refused before any call", async () => {
    t.s3.on(GetBucketEncryptionCommand).rejects(awsError("NoSuchBucket"));
    const outcome = await restoreEncryption.apply(
      { state: bucketState(), violations: [violation(evidence)], dryRun: false },
      clients(),
    );
    expect(outcome).toMatchObject({
      result: "skipped",
      action: `bucket ${BUCKET} no longer exists: nothing to restore`,
    });
    await expect(
      restoreEncryption.undo(
        { remediationId: restoreEncryption.id, params: { call: "DeleteBucketEncryption" } },
        clients(),
      ),
    ).rejects.toThrow();
    expect(inputs(PutBucketTaggingCommand)).toEqual([]);
  });
});

describe("restore-s3-bucket-public-access-block", () => {
  const evidence = (publicAccessBlock: unknown, before: unknown) => ({
    setting: "publicAccessBlock",
    publicAccessBlock,
    before,
    beforeSource: "AWS Config item captured at 2025-03-17T09:40:12.511Z",
  });

  it("settings someone turned on since are kept; only the ones turned off are added", async () => {
    t.s3
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } });
    const outcome = await restoreBlock.apply(
      {
        state: bucketState(),
        violations: [violation(evidence(ALL_OFF, { ...ALL_OFF, blockPublicPolicy: true }))],
        dryRun: false,
      },
      clients(),
    );
    expect(outcome).toMatchObject({
      result: "succeeded",
      action: `${BUCKET}: Block Public Access restored (blockPublicPolicy on)`,
      undo: { params: { userSettings: { ...ALL_OFF, restrictPublicBuckets: true } } },
    });
    expect(inputs(PutPublicAccessBlockCommand)).toEqual([
      {
        ...target,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
    ]);
  });

  it("already back on: nothing written", async () => {
    t.s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    const outcome = await restoreBlock.apply(
      { state: bucketState(), violations: [violation(evidence(null, ALL_ON))], dryRun: false },
      clients(),
    );
    expect(outcome).toMatchObject({ result: "already-gone" });
    expect(inputs(PutPublicAccessBlockCommand)).toEqual([]);
  });

  it("dry-run names the settings it would turn back on", async () => {
    const outcome = await restoreBlock.apply(
      {
        state: bucketState(),
        violations: [violation(evidence(null, { ...ALL_OFF, blockPublicAcls: true }))],
        dryRun: true,
      },
      clients(),
    );
    expect(outcome).toEqual({
      result: "planned",
      action: `PutPublicAccessBlock ${BUCKET}: turn blockPublicAcls back on`,
      awsCalls: 0,
    });
  });

  it("undo puts back what the user set, or deletes the configuration when there was none", async () => {
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
    await restoreBlock.undo(
      {
        remediationId: restoreBlock.id,
        params: { ...undoParams, userSettings: { ...ALL_OFF, blockPublicAcls: true } },
      },
      clients(),
    );
    expect(inputs(PutPublicAccessBlockCommand)).toEqual([
      {
        ...target,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: false,
        },
      },
    ]);
    await restoreBlock.undo(
      { remediationId: restoreBlock.id, params: { ...undoParams, userSettings: null } },
      clients(),
    );
    expect(inputs(DeletePublicAccessBlockCommand)).toEqual([target]);
  });

  it("IAM: writes and the undo's operator actions", () => {
    expect(restoreBlock.iamActions).toEqual([
      "s3:GetBucketPublicAccessBlock",
      "s3:PutBucketPublicAccessBlock",
    ]);
    expect(restoreEncryption.iamActions).toEqual([
      "s3:GetEncryptionConfiguration",
      "s3:PutEncryptionConfiguration",
    ]);
    expect(secureTransport.iamActions).toEqual(["s3:GetBucketPolicy", "s3:PutBucketPolicy"]);
    expect(secureTransport.disruptive).toBe(true);
    expect(secureTransport.undoIamActions).toContain("s3:DeleteBucketPolicy");
    expect(restoreBlock.undoIamActions).toEqual([
      "s3:PutBucketPublicAccessBlock",
      "s3:GetBucketTagging",
      "s3:PutBucketTagging",
    ]);
  });
});
