import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { BUCKET, s3Event } from "./support";

/**
 * An oversized Config notification carries only a summary: the item comes from the history API,
 * where `supplementaryConfiguration` (Block Public Access, policy, encryption) is one JSON string per key.
 */
describe("oversized S3 bucket item", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("judges the bucket on the history item's supplementary configuration, with no live S3 reads", async () => {
    t = await testRuntime({ config: { modes: { "S3.8": "off" } } });
    t.configService.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        {
          configurationItemStatus: "OK",
          resourceType: "AWS::S3::Bucket",
          resourceId: BUCKET,
          resourceName: BUCKET,
          arn: `arn:aws:s3:::${BUCKET}`,
          awsRegion: "us-east-1",
          accountId: "111122223333",
          configurationItemCaptureTime: new Date("2025-03-17T10:31:11.874Z"),
          configuration: JSON.stringify({ name: BUCKET, owner: { id: "7c1e4b2a" } }),
          supplementaryConfiguration: {
            PublicAccessBlockConfiguration: JSON.stringify({
              blockPublicAcls: false,
              ignorePublicAcls: false,
              blockPublicPolicy: false,
              restrictPublicBuckets: false,
            }),
            ServerSideEncryptionConfiguration: JSON.stringify({
              rules: [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false },
              ],
            }),
            BucketPolicy: JSON.stringify({ policyText: null }),
          },
          tags: { team: "orders" },
        },
      ],
    });

    const report = await processEvent(s3Event("config-oversized-bucket"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(report.resources[0]?.findings.map((f) => [f.checkId, f.status])).toContainEqual(["S3.8", "OPEN"]);
    for (const read of [GetPublicAccessBlockCommand, GetBucketEncryptionCommand, GetBucketPolicyCommand])
      expect(t.s3.commandCalls(read), read.name).toHaveLength(0);
  });
});
