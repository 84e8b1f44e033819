import { randomUUID } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness, type FindingJson } from "../support/cli-harness";
import type { ConfigServiceDouble, LocalConfigItem } from "../support/local-aws/config-service";
import type { S3Double } from "../support/local-aws/s3";

/**
 * Vigil's CLI replays S3 bucket events against the local endpoint: the bucket lives in the S3
 * double, what it was before the call in the Config double's history, and `vigil undo` puts
 * back what the user had set (tagging the bucket exempt first).
 */

const TIMEOUT = 120_000;
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/4f1c2b7e-9d3a-4e8b-a6c1-2d5f7e9b0a13";

interface BucketEvent {
  detail: { requestParameters: Record<string, unknown> };
}

describe("S3 bucket remediations through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let s3: S3Client;
  beforeAll(async () => {
    h = await startCliHarness();
    s3 = new S3Client(h.clientConfig);
  });
  afterAll(async () => {
    s3.destroy();
    await h.close();
  });

  const s3Double = () => h.aws.double<S3Double>("s3");

  /** A bucket as a user would make it, then the call the event records, as the user made it. */
  async function newBucket(): Promise<string> {
    const name = `e2e-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    return name;
  }

  /** What AWS Config recorded a minute before the call. */
  function recordBefore(bucket: string, supplementary: Record<string, string>): void {
    const item = {
      resourceType: "AWS::S3::Bucket",
      resourceId: bucket,
      configurationItemCaptureTime: Math.floor(Date.now() / 1000) - 60,
      configurationItemStatus: "OK",
      configuration: JSON.stringify({ name: bucket }),
      awsRegion: "us-east-1",
      accountId: "111122223333",
      arn: `arn:aws:s3:::${bucket}`,
      supplementaryConfiguration: supplementary,
    };
    const seeded: LocalConfigItem = item;
    h.aws.double<ConfigServiceDouble>("config").seedHistory(seeded);
  }

  const eventFor = (sample: string, bucket: string, edit?: (event: BucketEvent) => void) =>
    h.writeEvent<BucketEvent>(`s3/${sample}.json`, (event) => {
      event.detail.requestParameters.bucketName = bucket;
      event.detail.requestParameters.Host = `${bucket}.s3.us-east-1.amazonaws.com`;
      edit?.(event);
    });

  async function findingsOf(bucket: string): Promise<Map<string, FindingJson>> {
    return new Map((await h.findings()).filter((f) => f.resourceId === bucket).map((f) => [f.checkId, f]));
  }

  it(
    "DeleteBucketEncryption: the KMS configuration Config recorded is put back; undo deletes it again",
    async () => {
      const bucket = await newBucket();
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [
              {
                ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN },
                BucketKeyEnabled: true,
              },
            ],
          },
        }),
      );
      recordBefore(bucket, {
        ServerSideEncryptionConfiguration: JSON.stringify({
          rules: [
            {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyID: KEY_ARN },
              bucketKeyEnabled: true,
            },
          ],
        }),
      });
      await s3.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));

      const replay = await h.vigil([
        "replay",
        await eventFor("DeleteBucketEncryption", bucket),
        "--mode",
        "auto",
      ]);
      expect(replay.code, replay.stderr).toBe(0);
      expect(s3Double().bucket(bucket).encryption).toEqual([
        { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN, BucketKeyEnabled: true },
      ]);
      expect(h.aws.calls("config", "GetResourceConfigHistory").at(-1)?.params).toMatchObject({
        resourceType: "AWS::S3::Bucket",
        resourceId: bucket,
        limit: "1",
      });
      const finding = (await findingsOf(bucket)).get("VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED");
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        severity: "MEDIUM",
        remediation: { result: "succeeded" },
      });
      expect(h.alerts().some((m) => m.Message.includes(bucket))).toBe(true);

      const undo = await h.vigil(["undo", finding?.id ?? ""]);
      expect(undo.code, undo.stderr).toBe(0);
      expect(undo.stdout).toContain(`default encryption configuration deleted again on ${bucket}`);
      expect(s3Double().bucket(bucket).encryption).toEqual([
        { SSEAlgorithm: "AES256", BucketKeyEnabled: false },
      ]);
      expect(s3Double().bucket(bucket).tags).toEqual({
        "vigil:exempt": "VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED",
        "vigil:exempt-reason": "restored with vigil undo",
      });
      expect((await findingsOf(bucket)).get("VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED")?.status).toBe(
        "SUPPRESSED",
      );
    },
    TIMEOUT,
  );

  it(
    "PutBucketPublicAccessBlock all false: the settings Config recorded are turned back on; undo restores the user's",
    async () => {
      const bucket = await newBucket();
      recordBefore(bucket, {
        PublicAccessBlockConfiguration: JSON.stringify({
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: true,
          restrictPublicBuckets: true,
        }),
      });
      const allOff = {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      };
      await s3.send(
        new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: allOff }),
      );

      const replay = await h.vigil([
        "replay",
        await eventFor("PutBucketPublicAccessBlock-all-false", bucket),
        "--mode",
        "auto",
      ]);
      expect(replay.code, replay.stderr).toBe(0);
      expect(s3Double().bucket(bucket).publicAccessBlock).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      const finding = (await findingsOf(bucket)).get("S3.8");
      expect(finding).toMatchObject({ status: "REMEDIATED", severity: "HIGH" });

      const undo = await h.vigil(["undo", finding?.id ?? ""]);
      expect(undo.code, undo.stderr).toBe(0);
      expect(s3Double().bucket(bucket).publicAccessBlock).toEqual(allOff);
      expect(s3Double().bucket(bucket).tags["vigil:exempt"]).toBe("S3.8");
    },
    TIMEOUT,
  );

  it(
    "DeleteBucketPublicAccessBlock with no Config history: reported, nothing turned on",
    async () => {
      const bucket = await newBucket();
      const replay = await h.vigil([
        "replay",
        await eventFor("DeleteBucketPublicAccessBlock", bucket),
        "--mode",
        "auto",
      ]);
      expect(replay.code, replay.stderr).toBe(0);
      expect(h.aws.calls("s3", "PutPublicAccessBlock").filter((c) => c.params.Bucket === bucket)).toEqual([]);
      expect((await findingsOf(bucket)).get("S3.8")).toMatchObject({
        status: "OPEN",
        remediation: { result: "skipped" },
      });
    },
    TIMEOUT,
  );

  it(
    "PutBucketPolicy public read: reported; S3.5's deny is added to the live policy and undo takes exactly it out",
    async () => {
      const bucket = await newBucket();
      const publicRead = {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "PublicRead",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: `arn:aws:s3:::${bucket}/*`,
          },
        ],
      };
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: { BlockPublicPolicy: false },
        }),
      );
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(publicRead) }));

      const replay = await h.vigil([
        "replay",
        await eventFor("PutBucketPolicy-public-read", bucket, (event) => {
          event.detail.requestParameters.bucketPolicy = publicRead;
        }),
        "--mode",
        "auto",
      ]);
      expect(replay.code, replay.stderr).toBe(0);
      const findings = await findingsOf(bucket);
      expect(findings.get("VIGIL.S3.PUBLIC_POLICY")).toMatchObject({
        status: "OPEN",
        severity: "HIGH",
        remediation: null,
      });
      expect(findings.get("S3.5")).toMatchObject({
        status: "REMEDIATED",
        remediation: { result: "succeeded" },
      });
      const policy = JSON.parse(s3Double().bucket(bucket).policy ?? "{}") as { Statement: { Sid: string }[] };
      expect(policy.Statement.map((s) => s.Sid)).toEqual(["PublicRead", "VigilDenyInsecureTransport"]);

      const undo = await h.vigil(["undo", findings.get("S3.5")?.id ?? ""]);
      expect(undo.code, undo.stderr).toBe(0);
      expect(JSON.parse(s3Double().bucket(bucket).policy ?? "{}")).toEqual(publicRead);
      expect(s3Double().bucket(bucket).tags["vigil:exempt"]).toBe("S3.5");
    },
    TIMEOUT,
  );
});
