import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigItem } from "../../../shared/events/config-item";
import adapter from "../../../shared/resources/s3-bucket/adapter";
import defaultCollector, {
  regionOfLocation,
  s3BucketsCollector,
} from "../../../shared/sweep/collectors/s3-buckets";
import type { S3Double } from "../../support/local-aws/s3";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import {
  ACCOUNT,
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  verdicts,
  violated,
} from "./data-context";

const NAME = "orders-exports-111122223333";
const KEY = "arn:aws:kms:us-east-1:111122223333:key/4f1c2b7e-9d3a-4e8b-a6c1-2d5f7e9b0a13";
const SSL_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AllowSSLRequestsOnly",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${NAME}`, `arn:aws:s3:::${NAME}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});

describe("S3 buckets collector (against the local S3 double)", () => {
  let aws: LocalAws;
  let s3: S3Client;
  const clientIn = (region: string) =>
    new S3Client({ endpoint: aws.endpoint, region, credentials, maxAttempts: 1 });

  beforeEach(async () => {
    aws = await startLocalAws();
    s3 = clientIn("us-east-1");
  });
  afterEach(async () => {
    s3.destroy();
    await aws.close();
  });

  /** The sample Config item's bucket: SSE-KMS, all four Block Public Access settings, an SSL-only policy. */
  async function seedCompliant(name = NAME, region = "us-east-1") {
    const client = clientIn(region);
    await client.send(
      new CreateBucketCommand({
        Bucket: name,
        ...(region !== "us-east-1"
          ? { CreateBucketConfiguration: { LocationConstraint: region as "eu-west-1" } }
          : {}),
      }),
    );
    await client.send(
      new PutBucketEncryptionCommand({
        Bucket: name,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    await client.send(new PutBucketPolicyCommand({ Bucket: name, Policy: SSL_ONLY.replaceAll(NAME, name) }));
    await client.send(
      new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "team", Value: "orders" }] } }),
    );
    client.destroy();
  }

  it("pages ListBuckets, reads each bucket in its own Region, and yields every bucket once", async () => {
    await seedCompliant("alpha-bucket");
    await seedCompliant("bravo-bucket", "eu-west-1");
    await seedCompliant("charlie-bucket");
    // A bucket with nothing set since creation: SSE-S3 and Block Public Access on, no policy, no tags.
    await s3.send(new CreateBucketCommand({ Bucket: "delta-bucket" }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: "delta-bucket" }));

    const found = await collectAll(s3BucketsCollector({ pageSize: 2 }), collectContext({ s3 }));

    expect(aws.calls("s3", "ListBuckets").map((c) => c.params)).toEqual([
      { MaxBuckets: "2" },
      { MaxBuckets: "2", ContinuationToken: "bravo-bucket" },
    ]);
    expect(found.map((o) => [o.resource.id, o.resource.region])).toEqual([
      ["alpha-bucket", "us-east-1"],
      ["bravo-bucket", "eu-west-1"],
      ["charlie-bucket", "us-east-1"],
      ["delta-bucket", "us-east-1"],
    ]);
    // The eu-west-1 bucket's settings were read in eu-west-1 (the double answers 301 elsewhere).
    expect(
      aws.calls("s3", "GetBucketEncryption").filter((c) => c.params?.Bucket === "bravo-bucket"),
    ).toHaveLength(1);
    expect(
      aws.calls("s3", "GetBucketEncryption").every((c) => c.params?.ExpectedBucketOwner === ACCOUNT),
    ).toBe(true);
    expect(aws.calls("s3", "GetBucketLocation")).toHaveLength(0);
    expect(found.every((o) => o.complete && o.tagsKnown && !o.needsRefresh)).toBe(true);
    expect(found[3]?.state).toEqual({
      bucketName: "delta-bucket",
      bucketArn: "arn:aws:s3:::delta-bucket",
      accountId: ACCOUNT,
      encryption: [{ algorithm: "AES256", bucketKeyEnabled: false }],
      publicAccessBlock: null,
      policy: null,
      tags: {},
    });
    expect(found.map(violated)).toEqual([[], [], [], ["S3.5", "S3.8"]]);
  });

  it("asks GetBucketLocation when the listing does not name the Region", async () => {
    await seedCompliant("alpha-bucket", "eu-west-1");
    aws.double<S3Double>("s3").listsBucketRegion = false;
    const found = await collectAll(defaultCollector, collectContext({ s3 }));
    expect(aws.calls("s3", "GetBucketLocation").map((c) => c.params?.Bucket)).toEqual(["alpha-bucket"]);
    expect(found.map((o) => o.resource.region)).toEqual(["eu-west-1"]);
    expect(regionOfLocation("")).toBe("us-east-1");
    expect(regionOfLocation("EU")).toBe("eu-west-1");
  });

  it("judges a bucket as its Config item is judged, compliant or not", async () => {
    await seedCompliant();
    const compliantItem = configItemOf("s3/config-item-bucket-compliant.json");
    const [clean] = await collectAll(defaultCollector, collectContext({ s3 }));
    const fromConfig = adapter.fromConfigItem(compliantItem);
    expect(clean?.resource).toEqual(fromConfig.resource);
    expect(clean?.state).toEqual(fromConfig.state);
    expect(verdicts(clean!)).toEqual(verdicts(fromConfig));

    // Now without Block Public Access and without a policy, in both sources.
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: NAME }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: NAME }));
    const openItem: ConfigItem = {
      ...compliantItem,
      supplementaryConfiguration: {
        ...(compliantItem.supplementaryConfiguration as Record<string, unknown>),
        PublicAccessBlockConfiguration: null,
        BucketPolicy: { policyText: null },
      },
    } as ConfigItem;
    const [open] = await collectAll(defaultCollector, collectContext({ s3 }));
    const openFromConfig = adapter.fromConfigItem(openItem);
    expect(open?.state).toEqual(openFromConfig.state);
    expect(violated(openFromConfig)).toEqual(["S3.5", "S3.8"]);
    expect(verdicts(open!)).toEqual(verdicts(openFromConfig));
  });

  it("names exactly the read actions it makes, and runs once per account", () => {
    expect(defaultCollector.scope).toBe("global");
    expect(defaultCollector.iamActions).toEqual([
      "s3:ListAllMyBuckets",
      "s3:GetBucketLocation",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketPolicy",
      "s3:GetBucketTagging",
    ]);
  });
});

describe("S3 buckets collector: buckets that vanish or shut Vigil out", () => {
  const s3 = new S3Client({ region: "us-east-1", credentials });
  const mock = mockClient(s3);
  afterEach(() => mock.reset());
  const fail = (name: string) => Object.assign(new Error(name), { name });

  it("skips a bucket deleted after the listing, and leaves an aspect it may not read unknown", async () => {
    mock.on(ListBucketsCommand).resolves({
      Buckets: [
        { Name: "gone-bucket", BucketRegion: "us-east-1" },
        { Name: "locked-bucket", BucketRegion: "us-east-1" },
      ],
    });
    mock.on(GetBucketEncryptionCommand, { Bucket: "gone-bucket" }).rejects(fail("NoSuchBucket"));
    mock.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    mock.on(GetBucketEncryptionCommand, { Bucket: "locked-bucket" }).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    });
    mock.on(GetBucketPolicyCommand).rejects(fail("AccessDenied"));
    mock.on(GetBucketTaggingCommand).rejects(fail("NoSuchTagSet"));

    const found = await collectAll(defaultCollector, collectContext({ s3 }));

    expect(found.map((o) => o.resource.id)).toEqual(["locked-bucket"]);
    expect(found[0]?.state?.policy).toBeUndefined();
    expect(found[0]?.tagsKnown).toBe(true);
    expect(verdicts(found[0]!).find((v) => v.checkId === "S3.5")?.undecided).toBeDefined();
    expect(violated(found[0]!)).toEqual([]);
  });

  it("fails the unit on any other error", async () => {
    mock.on(ListBucketsCommand).resolves({ Buckets: [{ Name: "slow-bucket", BucketRegion: "us-east-1" }] });
    mock.on(GetBucketEncryptionCommand).rejects(fail("SlowDown"));
    mock.on(GetPublicAccessBlockCommand).resolves({});
    mock.on(GetBucketPolicyCommand).rejects(fail("NoSuchBucketPolicy"));
    mock.on(GetBucketTaggingCommand).resolves({ TagSet: [] });
    await expect(collectAll(defaultCollector, collectContext({ s3 }))).rejects.toThrow("SlowDown");
  });
});
