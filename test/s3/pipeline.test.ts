import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  ALL_OFF,
  ALL_ON,
  awsError,
  BUCKET,
  BUCKET_ARN,
  configEvent,
  detailOf,
  ENCRYPTION,
  historyItem,
  idFor,
  KEY_ARN,
  kmsRules,
  PUBLIC_POLICY,
  publicReadPolicy,
  s3Event,
  sseS3Rules,
} from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.status] as const).sort();
const noTags = (t: TestRuntime) => t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
const writes = (t: TestRuntime) => [
  ...t.s3
    .commandCalls(PutBucketEncryptionCommand)
    .map((c) => ({ PutBucketEncryptionCommand: c.args[0].input })),
  ...t.s3
    .commandCalls(PutPublicAccessBlockCommand)
    .map((c) => ({ PutPublicAccessBlockCommand: c.args[0].input })),
  ...t.s3.commandCalls(PutBucketPolicyCommand).map((c) => ({ PutBucketPolicyCommand: c.args[0].input })),
];
const configHistory = (t: TestRuntime, supplementary: Record<string, string>) =>
  t.configService.on(GetResourceConfigHistoryCommand).resolves(historyItem(supplementary));
const sseS3Live = (t: TestRuntime) =>
  t.s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }],
    },
  });

describe("S3 default encryption through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("non-compliant: a deleted SSE-KMS configuration is put back exactly (key, S3 Bucket Key), with who did it", async () => {
    t = await testRuntime();
    noTags(t);
    configHistory(t, { ServerSideEncryptionConfiguration: kmsRules() });
    sseS3Live(t);
    t.s3.on(PutBucketEncryptionCommand).resolves({});
    const report = await processEvent(s3Event("DeleteBucketEncryption"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(writes(t)).toEqual([
      {
        PutBucketEncryptionCommand: {
          Bucket: BUCKET,
          ExpectedBucketOwner: ACCOUNT,
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN },
                BucketKeyEnabled: true,
              },
            ],
          },
        },
      },
    ]);
    expect(await statuses(t)).toEqual([[ENCRYPTION, "REMEDIATED"]]);
    expect(await t.runtime.store.get(idFor(ENCRYPTION))).toMatchObject({
      severity: "MEDIUM",
      resource: { type: "AWS::S3::Bucket", id: BUCKET, arn: BUCKET_ARN },
      actor: { userName: "alice.ops", sourceIp: "198.51.100.23" },
      remediation: {
        result: "succeeded",
        action: `${BUCKET}: default encryption restored to SSE-KMS key ${KEY_ARN} with an S3 Bucket Key`,
        undo: {
          remediationId: "restore-s3-bucket-encryption",
          params: {
            bucketName: BUCKET,
            accountId: ACCOUNT,
            call: "DeleteBucketEncryption",
            userRules: [{ algorithm: "AES256", bucketKeyEnabled: false }],
            exemptChecks: [ENCRYPTION],
            exemptionTagKey: "vigil:exempt",
          },
        },
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: deleting an SSE-S3 configuration changes nothing: no finding, no write", async () => {
    t = await testRuntime();
    configHistory(t, { ServerSideEncryptionConfiguration: sseS3Rules });
    await processEvent(s3Event("DeleteBucketEncryption"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(writes(t)).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("unknown past (Config not recording buckets): LOW finding; S3 already applies SSE-S3, so nothing is written", async () => {
    t = await testRuntime();
    noTags(t);
    t.configService.on(GetResourceConfigHistoryCommand).rejects(awsError("ResourceNotDiscoveredException"));
    sseS3Live(t);
    await processEvent(s3Event("DeleteBucketEncryption"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(await t.runtime.store.get(idFor(ENCRYPTION))).toMatchObject({
      status: "REMEDIATED",
      severity: "LOW",
      remediation: {
        result: "already-gone",
        action: `${BUCKET} already uses SSE-S3 (AES256)`,
        detail: expect.stringContaining("if it named a KMS key, set that key again"),
      },
    });
  });

  it("a PutBucketEncryption that replaces a KMS key with SSE-S3 is the same downgrade; a KMS one resolves it", async () => {
    t = await testRuntime({ config: { modes: { [ENCRYPTION]: "off" } } });
    noTags(t);
    configHistory(t, { ServerSideEncryptionConfiguration: kmsRules(false) });
    await processEvent(s3Event("PutBucketEncryption-sse-s3"), t.runtime);
    expect(await statuses(t)).toEqual([[ENCRYPTION, "OPEN"]]);
    expect(writes(t)).toEqual([]);

    await processEvent(s3Event("PutBucketEncryption-sse-kms"), t.runtime);
    expect(await statuses(t)).toEqual([[ENCRYPTION, "RESOLVED"]]);
  });

  it("an SSE-S3 PutBucketEncryption on a bucket that had SSE-S3 opens nothing", async () => {
    t = await testRuntime();
    configHistory(t, { ServerSideEncryptionConfiguration: sseS3Rules });
    await processEvent(s3Event("PutBucketEncryption-sse-s3"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });

  it("a KMS configuration set again since the call is not overwritten with the older one", async () => {
    t = await testRuntime();
    noTags(t);
    configHistory(t, { ServerSideEncryptionConfiguration: kmsRules() });
    t.s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [
          { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/newer" } },
        ],
      },
    });
    await processEvent(s3Event("DeleteBucketEncryption"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(await t.runtime.store.get(idFor(ENCRYPTION))).toMatchObject({
      status: "OPEN",
      remediation: { result: "skipped", action: expect.stringContaining("was changed again since") },
    });
  });

  it("dry-run plans the restore and calls nothing but the reads", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    noTags(t);
    configHistory(t, { ServerSideEncryptionConfiguration: kmsRules() });
    await processEvent(s3Event("DeleteBucketEncryption"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(t.s3.commandCalls(GetBucketEncryptionCommand)).toHaveLength(0);
    expect(await t.runtime.store.get(idFor(ENCRYPTION))).toMatchObject({
      status: "OPEN",
      remediation: {
        result: "planned",
        action: `PutBucketEncryption ${BUCKET}: SSE-KMS key ${KEY_ARN} with an S3 Bucket Key`,
      },
    });
  });
});

describe("S3.8 bucket Block Public Access through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("non-compliant: all four turned off are turned back on (they were on before), undo keeps what the user set", async () => {
    t = await testRuntime();
    noTags(t);
    configHistory(t, { PublicAccessBlockConfiguration: JSON.stringify(ALL_ON) });
    t.s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    });
    t.s3.on(PutPublicAccessBlockCommand).resolves({});
    await processEvent(s3Event("PutBucketPublicAccessBlock-all-false"), t.runtime);
    expect(writes(t)).toEqual([
      {
        PutPublicAccessBlockCommand: {
          Bucket: BUCKET,
          ExpectedBucketOwner: ACCOUNT,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        },
      },
    ]);
    expect(await t.runtime.store.get(idFor("S3.8"))).toMatchObject({
      status: "REMEDIATED",
      severity: "HIGH",
      controls: ["FSBP S3.8", "CIS 2.1.4"],
      remediation: {
        result: "succeeded",
        undo: { params: { bucketName: BUCKET, userSettings: ALL_OFF, exemptChecks: ["S3.8"] } },
      },
    });
  });

  it("deleted settings: only those that were on before come back, on top of what is live", async () => {
    t = await testRuntime();
    noTags(t);
    configHistory(t, {
      PublicAccessBlockConfiguration: JSON.stringify({
        ...ALL_OFF,
        blockPublicAcls: true,
        ignorePublicAcls: true,
      }),
    });
    t.s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchPublicAccessBlockConfiguration"));
    t.s3.on(PutPublicAccessBlockCommand).resolves({});
    await processEvent(s3Event("DeleteBucketPublicAccessBlock"), t.runtime);
    expect(writes(t)).toEqual([
      {
        PutPublicAccessBlockCommand: expect.objectContaining({
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: false,
            RestrictPublicBuckets: false,
          },
        }),
      },
    ]);
    // Still not all four: the control keeps failing, but Vigil put back all it knew of.
    expect(await t.runtime.store.get(idFor("S3.8"))).toMatchObject({
      status: "REMEDIATED",
      remediation: { undo: { params: { userSettings: null } } },
    });
  });

  it("unknown past: reported, never imposed", async () => {
    t = await testRuntime();
    noTags(t);
    t.configService.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    await processEvent(s3Event("DeleteBucketPublicAccessBlock"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(t.s3.commandCalls(GetPublicAccessBlockCommand)).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("S3.8"))).toMatchObject({
      status: "OPEN",
      remediation: {
        result: "skipped",
        action:
          "not restored: the settings before the change are unknown (AWS Config has no item for the bucket from before the call)",
      },
    });
  });

  it("settings that were already off before: nothing to restore", async () => {
    t = await testRuntime();
    noTags(t);
    configHistory(t, { PublicAccessBlockConfiguration: JSON.stringify(ALL_OFF) });
    await processEvent(s3Event("PutBucketPublicAccessBlock-all-false"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(await t.runtime.store.get(idFor("S3.8"))).toMatchObject({
      status: "OPEN",
      remediation: { result: "skipped", action: expect.stringContaining("had no stricter settings before") },
    });
  });

  it("compliant: all four on resolves the open finding, reading nothing", async () => {
    t = await testRuntime({ config: { modes: { "S3.8": "off" } } });
    noTags(t);
    configHistory(t, { PublicAccessBlockConfiguration: JSON.stringify(ALL_ON) });
    await processEvent(s3Event("DeleteBucketPublicAccessBlock"), t.runtime);
    expect(await statuses(t)).toEqual([["S3.8", "OPEN"]]);
    t.configService.reset();
    await processEvent(s3Event("PutBucketPublicAccessBlock-all-true"), t.runtime);
    expect(await statuses(t)).toEqual([["S3.8", "RESOLVED"]]);
    expect(t.configService.calls()).toHaveLength(0);
  });

  it("not applicable: an exempt bucket is suppressed, never touched", async () => {
    t = await testRuntime();
    t.s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: "vigil:exempt", Value: "S3.8" }] });
    configHistory(t, { PublicAccessBlockConfiguration: JSON.stringify(ALL_ON) });
    await processEvent(s3Event("DeleteBucketPublicAccessBlock"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(await statuses(t)).toEqual([["S3.8", "SUPPRESSED"]]);
  });

  it("not applicable: a call that failed (AccessDenied) changed nothing", async () => {
    t = await testRuntime();
    const event = s3Event("DeleteBucketPublicAccessBlock");
    detailOf(event).errorCode = "AccessDenied";
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
    expect(t.s3.calls()).toHaveLength(0);
    expect(t.configService.calls()).toHaveLength(0);
  });
});

describe("bucket policy (public, S3.5) through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("non-compliant: a public-read policy is HIGH and alerted; S3.5's fix is planned (dry-run by default)", async () => {
    t = await testRuntime();
    noTags(t);
    t.s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchPublicAccessBlockConfiguration"));
    await processEvent(s3Event("PutBucketPolicy-public-read"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["S3.5", "OPEN"],
      [PUBLIC_POLICY, "OPEN"],
    ]);
    expect(await t.runtime.store.get(idFor(PUBLIC_POLICY))).toMatchObject({
      severity: "HIGH",
      summary: `bucket ${BUCKET} policy statement PublicRead allows everyone (*): s3:GetObject`,
      actor: { userName: "alice.ops" },
    });
    expect(await t.runtime.store.get(idFor("S3.5"))).toMatchObject({
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: expect.stringContaining(
          `add statement VigilDenyInsecureTransport to the bucket policy of ${BUCKET}`,
        ),
      },
    });
    expect(writes(t)).toEqual([]);
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.severity).toBe("HIGH");
  });

  it("a public write policy is CRITICAL", async () => {
    t = await testRuntime();
    noTags(t);
    t.s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchPublicAccessBlockConfiguration"));
    const event = s3Event("PutBucketPolicy-public-read");
    detailOf(event).requestParameters.bucketPolicy = {
      ...publicReadPolicy,
      Statement: [{ ...publicReadPolicy.Statement[0], Action: ["s3:GetObject", "s3:PutObject"] }],
    };
    await processEvent(event, t.runtime);
    expect((await t.runtime.store.get(idFor(PUBLIC_POLICY)))?.severity).toBe("CRITICAL");
  });

  it("compliant: RestrictPublicBuckets on the bucket makes the public grant void", async () => {
    t = await testRuntime();
    noTags(t);
    t.s3
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } });
    await processEvent(s3Event("PutBucketPolicy-public-read"), t.runtime);
    expect(await statuses(t)).toEqual([["S3.5", "OPEN"]]);
  });

  it("compliant: an SSL-only, organization-restricted policy opens nothing and reads nothing", async () => {
    t = await testRuntime();
    await processEvent(s3Event("PutBucketPolicy-ssl-only-org-read"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.s3.calls()).toHaveLength(0);
  });

  it("DeleteBucketPolicy resolves the public finding; S3.5 stays open (no policy, no deny)", async () => {
    t = await testRuntime();
    noTags(t);
    t.s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchPublicAccessBlockConfiguration"));
    await processEvent(s3Event("PutBucketPolicy-public-read"), t.runtime);
    await processEvent(s3Event("DeleteBucketPolicy"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["S3.5", "OPEN"],
      [PUBLIC_POLICY, "RESOLVED"],
    ]);
  });

  it("S3.5 in auto mode adds exactly one deny to the live policy, keeping the rest as it is", async () => {
    t = await testRuntime({ config: { modes: { "S3.5": "auto" } } });
    noTags(t);
    t.s3
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } });
    const live = { Version: "2012-10-17", Id: "orders", Statement: publicReadPolicy.Statement };
    t.s3.on(GetBucketPolicyCommand).resolves({ Policy: JSON.stringify(live) });
    t.s3.on(PutBucketPolicyCommand).resolves({});
    await processEvent(s3Event("PutBucketPolicy-public-read"), t.runtime);
    const put = t.s3.commandCalls(PutBucketPolicyCommand)[0]?.args[0].input;
    expect(put?.Bucket).toBe(BUCKET);
    expect(put?.ExpectedBucketOwner).toBe(ACCOUNT);
    expect(JSON.parse(put?.Policy ?? "{}")).toEqual({
      ...live,
      Statement: [
        ...publicReadPolicy.Statement,
        {
          Sid: "VigilDenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
    expect(await statuses(t)).toEqual([["S3.5", "REMEDIATED"]]);
  });

  it("bad input: a PutBucketPolicy without bucketName is invalid and changes nothing", async () => {
    t = await testRuntime();
    const event = s3Event("PutBucketPolicy-public-read");
    delete detailOf(event).requestParameters.bucketName;
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toMatch(/PutBucketPolicy requestParameters/);
    expect(await statuses(t)).toEqual([]);
    expect(t.s3.calls()).toHaveLength(0);
  });
});

describe("Config items for buckets", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("compliant: a KMS-encrypted, blocked, SSL-only bucket opens nothing and resolves what was open", async () => {
    t = await testRuntime({ config: { modes: { "S3.8": "off", [ENCRYPTION]: "off" } } });
    noTags(t);
    configHistory(t, {
      PublicAccessBlockConfiguration: JSON.stringify(ALL_ON),
      ServerSideEncryptionConfiguration: kmsRules(),
    });
    await processEvent(s3Event("DeleteBucketPublicAccessBlock"), t.runtime);
    await processEvent(s3Event("DeleteBucketEncryption"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["S3.8", "OPEN"],
      [ENCRYPTION, "OPEN"],
    ]);
    const report = await processEvent(configEvent(), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([
      ["S3.8", "RESOLVED"],
      [ENCRYPTION, "RESOLVED"],
    ]);
  });

  it("non-compliant: no Block Public Access, a public policy without the SSL deny: three findings, tags from the item", async () => {
    t = await testRuntime();
    const event = configEvent((s) => {
      s.PublicAccessBlockConfiguration = null;
      s.BucketPolicy = { policyText: JSON.stringify(publicReadPolicy) };
      s.ServerSideEncryptionConfiguration = JSON.parse(sseS3Rules);
    });
    await processEvent(event, t.runtime);
    expect(await statuses(t)).toEqual([
      ["S3.5", "OPEN"],
      ["S3.8", "OPEN"],
      [PUBLIC_POLICY, "OPEN"],
    ]);
    // The item says nothing about what was there before: S3.8 is reported, not guessed back.
    expect((await t.runtime.store.get(idFor("S3.8")))?.remediation).toMatchObject({ result: "skipped" });
    expect(t.s3.calls()).toHaveLength(0);
    expect(t.configService.calls()).toHaveLength(0);
  });

  it("an item without the supplementary settings reads them live", async () => {
    t = await testRuntime();
    t.s3.on(GetBucketEncryptionCommand).resolves({});
    t.s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    t.s3.on(GetBucketPolicyCommand).rejects(awsError("NoSuchBucketPolicy"));
    const event = configEvent((s) => {
      for (const key of Object.keys(s)) delete s[key];
    });
    await processEvent(event, t.runtime);
    expect(await statuses(t)).toEqual([["S3.5", "OPEN"]]);
  });
});
