import {
  CreateBucketCommand,
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
  S3Client,
} from "@aws-sdk/client-s3";
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlock,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { S3Double } from "../support/local-aws/s3";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";

/** The S3 double answers the SDK as S3 does: path-style REST-XML, S3's error codes. */
describe("local S3 double", () => {
  let aws: LocalAws;
  let s3: S3Client;
  const Bucket = "double-check-bucket";
  const config = () => ({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });

  beforeAll(async () => {
    aws = await startLocalAws();
    s3 = new S3Client(config());
    await s3.send(new CreateBucketCommand({ Bucket }));
  });
  afterAll(async () => {
    s3.destroy();
    await aws.close();
  });

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: { name: string; $metadata: { httpStatusCode?: number } }) => [
        error.name,
        error.$metadata.httpStatusCode,
      ],
    );

  it("a new bucket has SSE-S3 and all four Block Public Access settings on, no policy, no tags", async () => {
    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false },
    ]);
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(await errorOf(s3.send(new GetBucketPolicyCommand({ Bucket })))).toEqual([
      "NoSuchBucketPolicy",
      404,
    ]);
    expect(await errorOf(s3.send(new GetBucketTaggingCommand({ Bucket })))).toEqual(["NoSuchTagSet", 404]);
    expect(aws.calls("s3", "CreateBucket")).toEqual([
      { service: "s3", action: "CreateBucket", params: { Bucket } },
    ]);
  });

  it("puts, reads and deletes default encryption; a deleted configuration reads as SSE-S3", async () => {
    const KMSMasterKeyID = "arn:aws:kms:us-east-1:111122223333:key/4f1c2b7e-9d3a-4e8b-a6c1-2d5f7e9b0a13";
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ExpectedBucketOwner: "111122223333",
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    );
    expect(aws.calls("s3", "PutBucketEncryption").at(-1)?.params).toEqual({
      Bucket,
      SSEAlgorithm: "aws:kms",
      KMSMasterKeyID,
      BucketKeyEnabled: "true",
      ExpectedBucketOwner: "111122223333",
    });
    const read = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(read.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID },
      BucketKeyEnabled: true,
    });
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket }));
    const after = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(after.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: "AES256",
    });
  });

  it("Block Public Access: put (left-out settings are false), delete, and NoSuchPublicAccessBlockConfiguration", async () => {
    await s3.send(
      new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }),
    );
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    expect(await errorOf(s3.send(new GetPublicAccessBlockCommand({ Bucket })))).toEqual([
      "NoSuchPublicAccessBlockConfiguration",
      404,
    ]);
  });

  it("policies: JSON only; a public one is refused while BlockPublicPolicy is on", async () => {
    const publicRead = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${Bucket}/*` },
      ],
    });
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: { BlockPublicPolicy: true },
      }),
    );
    expect(await errorOf(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead })))).toEqual([
      "AccessDenied",
      403,
    ]);
    expect(await errorOf(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: "not json" })))).toEqual([
      "MalformedPolicy",
      400,
    ]);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(publicRead);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    expect(aws.double<S3Double>("s3").bucket(Bucket).policy).toBeNull();
  });

  it("tags replace the whole set, as PutBucketTagging does", async () => {
    await s3.send(
      new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: "team", Value: "a & b" }] } }),
    );
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket,
        Tagging: { TagSet: [{ Key: "vigil:exempt", Value: "S3.5 S3.8" }] },
      }),
    );
    const tags = await s3.send(new GetBucketTaggingCommand({ Bucket }));
    expect(tags.TagSet).toEqual([{ Key: "vigil:exempt", Value: "S3.5 S3.8" }]);
  });

  it("an unknown bucket is NoSuchBucket; S3 Control requests (same signing name) reach the S3 Control model", async () => {
    expect(await errorOf(s3.send(new GetBucketEncryptionCommand({ Bucket: "no-such-bucket-here" })))).toEqual(
      ["NoSuchBucket", 404],
    );
    // The SDK puts the account id in front of the host, which an IP endpoint can't take: keep the URL as it is.
    const url = new URL(`${aws.endpoint}/`);
    const control = new S3ControlClient({
      ...config(),
      endpoint: undefined,
      endpointProvider: () => ({ url }),
    });
    const answer = await errorOf(
      control.send(new GetAccountPublicAccessBlock({ AccountId: "111122223333" })),
    );
    control.destroy();
    expect(answer).toEqual(["NoSuchPublicAccessBlockConfiguration", 404]);
    expect(aws.calls("s3", "GetPublicAccessBlock").at(-1)?.params).not.toHaveProperty("Bucket");
  });
});
