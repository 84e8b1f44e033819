import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { UnusableEventError } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/s3-bucket/adapter";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  ALL_OFF,
  ALL_ON,
  awsError,
  BUCKET,
  BUCKET_ARN,
  bucketState,
  configEvent,
  detailOf,
  historyItem,
  KEY_ARN,
  kmsRules,
  observationOf,
  s3Event,
  sseS3Rules,
} from "./support";

const fromEvent = (event: ReturnType<typeof s3Event>) =>
  adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
const fromConfig = (event: ReturnType<typeof s3Event>) =>
  adapter.fromConfigItem(
    configItemSchema.parse((event.detail as { configurationItem: unknown }).configurationItem),
  );

const RESOURCE = {
  type: "AWS::S3::Bucket",
  id: BUCKET,
  arn: BUCKET_ARN,
  account: ACCOUNT,
  region: "us-east-1",
  name: BUCKET,
};

describe("S3 bucket adapter: CloudTrail calls", () => {
  it("DeleteBucketEncryption: now SSE-S3; what was there is read first", () => {
    const [observation] = fromEvent(s3Event("DeleteBucketEncryption"));
    expect(observation).toEqual({
      resource: RESOURCE,
      state: {
        bucketName: BUCKET,
        bucketArn: BUCKET_ARN,
        accountId: ACCOUNT,
        encryption: [{ algorithm: "AES256" }],
        encryptionChange: { call: "DeleteBucketEncryption" },
      },
      complete: true,
      observedAt: "2025-03-17T10:09:58Z",
      tagsKnown: false,
      needsRefresh: true,
    });
  });

  it("PutBucketEncryption: the rule CloudTrail logs (one <Rule> as an object, booleans as JSON or text)", () => {
    const [sseS3] = fromEvent(s3Event("PutBucketEncryption-sse-s3"));
    expect(sseS3?.state).toMatchObject({
      encryption: [{ algorithm: "AES256", bucketKeyEnabled: false }],
      encryptionChange: { call: "PutBucketEncryption" },
    });
    expect(sseS3?.needsRefresh).toBe(true);
    const [kms] = fromEvent(s3Event("PutBucketEncryption-sse-kms"));
    expect(kms?.state?.encryption).toEqual([
      { algorithm: "aws:kms", kmsKeyId: KEY_ARN, bucketKeyEnabled: true },
    ]);
    // A KMS configuration can't be a downgrade: nothing to read.
    expect(kms?.state?.encryptionChange).toBeUndefined();
    expect(kms?.needsRefresh).toBe(false);

    const asText = s3Event("PutBucketEncryption-sse-kms");
    const config = detailOf(asText).requestParameters.ServerSideEncryptionConfiguration as {
      Rule: Record<string, unknown>;
    };
    config.Rule = [{ ...config.Rule, BucketKeyEnabled: "false" }] as unknown as Record<string, unknown>;
    expect(fromEvent(asText)[0]?.state?.encryption).toEqual([
      { algorithm: "aws:kms", kmsKeyId: KEY_ARN, bucketKeyEnabled: false },
    ]);
  });

  it("PutBucketEncryption whose configuration CloudTrail hid: read live", () => {
    const event = s3Event("PutBucketEncryption-sse-s3");
    detailOf(event).requestParameters.ServerSideEncryptionConfiguration = "HIDDEN_DUE_TO_SECURITY_REASONS";
    const [observation] = fromEvent(event);
    expect(observation?.state).toMatchObject({
      pendingReads: ["encryption"],
      encryptionChange: { call: "PutBucketEncryption" },
    });
    expect(observation?.state?.encryption).toBeUndefined();
  });

  it("PutBucketPublicAccessBlock: the four settings; left-out ones are false (as S3 treats them)", () => {
    const [allOff] = fromEvent(s3Event("PutBucketPublicAccessBlock-all-false"));
    expect(allOff?.state).toMatchObject({
      publicAccessBlock: ALL_OFF,
      publicAccessBlockChange: { call: "PutBucketPublicAccessBlock" },
    });
    expect(allOff?.needsRefresh).toBe(true);
    const [allOn] = fromEvent(s3Event("PutBucketPublicAccessBlock-all-true"));
    expect(allOn?.state?.publicAccessBlock).toEqual(ALL_ON);
    expect(allOn?.needsRefresh).toBe(false);

    const partial = s3Event("PutBucketPublicAccessBlock-all-true");
    detailOf(partial).requestParameters.PublicAccessBlockConfiguration = { BlockPublicAcls: "true" };
    expect(fromEvent(partial)[0]?.state?.publicAccessBlock).toEqual({ ...ALL_OFF, blockPublicAcls: true });
  });

  it("DeleteBucketPublicAccessBlock: no bucket-level settings left", () => {
    const [observation] = fromEvent(s3Event("DeleteBucketPublicAccessBlock"));
    expect(observation?.state).toMatchObject({
      publicAccessBlock: null,
      publicAccessBlockChange: { call: "DeleteBucketPublicAccessBlock" },
    });
  });

  it("PutBucketPolicy: the parsed policy; a public one asks for RestrictPublicBuckets", () => {
    const [publicRead] = fromEvent(s3Event("PutBucketPolicy-public-read"));
    expect(publicRead?.state?.policy?.statements).toHaveLength(1);
    expect(publicRead?.state?.pendingReads).toEqual(["restrict-public-buckets"]);
    expect(publicRead?.needsRefresh).toBe(true);
    const [restricted] = fromEvent(s3Event("PutBucketPolicy-ssl-only-org-read"));
    expect(restricted?.state?.policy?.statements).toHaveLength(2);
    expect(restricted?.needsRefresh).toBe(false);
  });

  it("PutBucketPolicy with a policy CloudTrail hid or cut: the policy is read live", () => {
    const event = s3Event("PutBucketPolicy-public-read");
    detailOf(event).requestParameters.bucketPolicy = "HIDDEN_DUE_TO_SECURITY_REASONS";
    const [observation] = fromEvent(event);
    expect(observation?.state?.policy).toBeUndefined();
    expect(observation?.state?.pendingReads).toEqual(["policy", "restrict-public-buckets"]);
  });

  it("DeleteBucketPolicy: no policy", () => {
    expect(fromEvent(s3Event("DeleteBucketPolicy"))[0]?.state?.policy).toBeNull();
  });

  it.each([
    ["no bucketName", (p: Record<string, unknown>) => delete p.bucketName, /requestParameters/],
    [
      "a bucketName that is no bucket",
      (p: Record<string, unknown>) => (p.bucketName = "a/b"),
      /not an S3 bucket name/,
    ],
  ])("bad input: %s => UnusableEventError", (_name, edit, message) => {
    const event = s3Event("DeleteBucketEncryption");
    edit(detailOf(event).requestParameters);
    expect(() => fromEvent(event)).toThrow(UnusableEventError);
    expect(() => fromEvent(event)).toThrow(message);
  });

  it("an S3 call no check reads is refused clearly", () => {
    const event = s3Event("DeleteBucketPolicy");
    detailOf(event).eventName = "PutBucketVersioning";
    expect(() => fromEvent(event)).toThrow("no S3 bucket reader for PutBucketVersioning");
  });
});

describe("S3 bucket adapter: Config items", () => {
  it("the whole bucket: encryption, Block Public Access, policy, tags", () => {
    const observation = fromConfig(configEvent());
    expect(observation).toMatchObject({
      resource: RESOURCE,
      complete: true,
      tagsKnown: true,
      observedAt: "2025-03-17T10:31:11.874Z",
      state: {
        encryption: [{ algorithm: "aws:kms", kmsKeyId: KEY_ARN, bucketKeyEnabled: true }],
        publicAccessBlock: ALL_ON,
        tags: { team: "orders" },
      },
    });
    expect(observation.state?.policy?.statements[0]).toMatchObject({
      sid: "AllowSSLRequestsOnly",
      effect: "Deny",
    });
    expect(observation.needsRefresh).toBeUndefined();
  });

  it("history-style JSON text values and a null policy text read the same way", () => {
    const observation = fromConfig(
      configEvent((s) => {
        s.ServerSideEncryptionConfiguration = sseS3Rules;
        s.PublicAccessBlockConfiguration = JSON.stringify(ALL_OFF);
        s.BucketPolicy = JSON.stringify({ policyText: null });
      }),
    );
    expect(observation.state).toMatchObject({
      encryption: [{ algorithm: "AES256", bucketKeyEnabled: false }],
      publicAccessBlock: ALL_OFF,
      policy: null,
    });
  });

  it("an aspect the item leaves out is read live, never taken for 'none'", () => {
    const observation = fromConfig(
      configEvent((s) => {
        delete s.PublicAccessBlockConfiguration;
        delete s.BucketPolicy;
        delete s.ServerSideEncryptionConfiguration;
      }),
    );
    expect(observation.state?.pendingReads).toEqual(["encryption", "public-access-block", "policy"]);
    expect(observation.state?.publicAccessBlock).toBeUndefined();
    expect(observation.needsRefresh).toBe(true);
  });

  it("a deleted bucket: no state (its findings resolve)", () => {
    const event = configEvent();
    (
      event.detail as { configurationItem: Record<string, unknown> }
    ).configurationItem.configurationItemStatus = "ResourceDeleted";
    expect(fromConfig(event).state).toBeUndefined();
  });
});

describe("S3 bucket adapter: reads", () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime();
  });
  afterEach(() => t.close());
  const clients = () => t.runtime.readClients!;
  const history = () =>
    t.configService.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input);

  it("the settings before a deletion come from the newest Config item at or before the call", async () => {
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .resolves(historyItem({ ServerSideEncryptionConfiguration: kmsRules() }));
    const [observation] = fromEvent(s3Event("DeleteBucketEncryption"));
    const refreshed = await adapter.refresh!(observation!, clients());
    expect(history()).toEqual([
      {
        resourceType: "AWS::S3::Bucket",
        resourceId: BUCKET,
        laterTime: new Date("2025-03-17T10:09:58Z"),
        limit: 1,
      },
    ]);
    expect(refreshed.state?.encryptionChange).toEqual({
      call: "DeleteBucketEncryption",
      before: {
        known: true,
        value: [{ algorithm: "aws:kms", kmsKeyId: KEY_ARN, bucketKeyEnabled: true }],
        capturedAt: "2025-03-17T09:40:12.511Z",
      },
    });
    expect(refreshed.needsRefresh).toBe(false);
    expect(t.s3.calls()).toHaveLength(0);
  });

  it.each([
    [
      awsError("ResourceNotDiscoveredException"),
      "AWS Config has not recorded this bucket (is it recording AWS::S3::Bucket?)",
    ],
    [awsError("AccessDeniedException"), "AWS Config's history could not be read (AccessDeniedException)"],
  ])("Config can't tell (%s): the past is unknown, with the reason", async (error, reason) => {
    t.configService.on(GetResourceConfigHistoryCommand).rejects(error);
    const [observation] = fromEvent(s3Event("DeleteBucketPublicAccessBlock"));
    const refreshed = await adapter.refresh!(observation!, clients());
    expect(refreshed.state?.publicAccessBlockChange?.before).toEqual({ known: false, reason });
  });

  it("no Config item from before the call, or one without the setting: unknown", async () => {
    t.configService.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    const [observation] = fromEvent(s3Event("DeleteBucketEncryption"));
    expect((await adapter.refresh!(observation!, clients())).state?.encryptionChange?.before).toEqual({
      known: false,
      reason: "AWS Config has no item for the bucket from before the call",
    });
    t.configService.on(GetResourceConfigHistoryCommand).resolves(historyItem({}));
    expect((await adapter.refresh!(observation!, clients())).state?.encryptionChange?.before).toEqual({
      known: false,
      reason:
        "AWS Config's item captured at 2025-03-17T09:40:12.511Z does not record the bucket's default encryption",
    });
  });

  it("Config throttling is thrown, so the event is retried", async () => {
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .rejects(awsError("ThrottlingException", { $retryable: {} }));
    const [observation] = fromEvent(s3Event("DeleteBucketEncryption"));
    await expect(adapter.refresh!(observation!, clients())).rejects.toThrow("ThrottlingException");
  });

  it("hidden parts are read live; Config is asked only when the live setting is weaker", async () => {
    t.s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN } }],
      },
    });
    const event = s3Event("PutBucketEncryption-sse-s3");
    detailOf(event).requestParameters.ServerSideEncryptionConfiguration = "HIDDEN_DUE_TO_SECURITY_REASONS";
    const refreshed = await adapter.refresh!(fromEvent(event)[0]!, clients());
    expect(t.s3.commandCalls(GetBucketEncryptionCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      ExpectedBucketOwner: ACCOUNT,
    });
    expect(refreshed.state?.encryption).toEqual([{ algorithm: "aws:kms", kmsKeyId: KEY_ARN }]);
    expect(refreshed.state?.pendingReads).toBeUndefined();
    expect(history()).toEqual([]);
  });

  it("a public policy is read with RestrictPublicBuckets, kept apart from the Block Public Access check", async () => {
    t.s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
    });
    const refreshed = await adapter.refresh!(
      fromEvent(s3Event("PutBucketPolicy-public-read"))[0]!,
      clients(),
    );
    expect(refreshed.state?.restrictPublicBuckets).toBe(true);
    expect(refreshed.state?.publicAccessBlock).toBeUndefined();
  });

  it("a live read denied by the bucket policy leaves that aspect unknown; a bucket that is gone is deleted", async () => {
    t.s3.on(GetBucketPolicyCommand).rejects(awsError("AccessDenied"));
    t.s3.on(GetPublicAccessBlockCommand).rejects(awsError("NoSuchPublicAccessBlockConfiguration"));
    const observation = observationOf(bucketState({ pendingReads: ["policy", "public-access-block"] }));
    const refreshed = await adapter.refresh!(observation, clients());
    expect(refreshed.state).toEqual(bucketState({ publicAccessBlock: null }));

    t.s3.on(GetBucketPolicyCommand).rejects(awsError("NoSuchBucket"));
    expect((await adapter.refresh!(observation, clients())).state).toBeUndefined();
  });

  it("tags: GetBucketTagging; NoSuchTagSet and NoSuchBucket mean none; others fail", async () => {
    const observation = observationOf(bucketState());
    t.s3.on(GetBucketTaggingCommand).resolves({ TagSet: [{ Key: "vigil:exempt", Value: "S3.5" }] });
    expect(await adapter.readTags(observation, clients())).toEqual({ "vigil:exempt": "S3.5" });
    expect(t.s3.commandCalls(GetBucketTaggingCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      ExpectedBucketOwner: ACCOUNT,
    });
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchTagSet"));
    expect(await adapter.readTags(observation, clients())).toEqual({});
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("NoSuchBucket"));
    expect(await adapter.readTags(observation, clients())).toEqual({});
    t.s3.on(GetBucketTaggingCommand).rejects(awsError("AccessDenied"));
    await expect(adapter.readTags(observation, clients())).rejects.toThrow("AccessDenied");
  });
});
