import type { ConfigurationItem } from "@aws-sdk/client-config-service";
import { findingId } from "../../shared/findings/id";
import type { Observation } from "../../shared/resources/adapter";
import type { S3BucketState } from "../../shared/resources/s3-bucket/state";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const BUCKET = "orders-exports-111122223333";
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
export const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/4f1c2b7e-9d3a-4e8b-a6c1-2d5f7e9b0a13";

export const ENCRYPTION = "VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED";
export const PUBLIC_POLICY = "VIGIL.S3.PUBLIC_POLICY";

export const s3Event = (name: string) => loadEvent(`s3/${name}.json`);

/** The sample event's `detail`, typed loosely for edits. */
export const detailOf = (event: ReturnType<typeof loadEvent>) =>
  event.detail as Record<string, unknown> & { requestParameters: Record<string, unknown> };

export const idFor = (checkId: string, resourceId = BUCKET) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

export const ALL_ON = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
export const ALL_OFF = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** A bucket state with just the given aspects. */
export function bucketState(aspects: Partial<S3BucketState> = {}): S3BucketState {
  return { bucketName: BUCKET, bucketArn: BUCKET_ARN, accountId: ACCOUNT, ...aspects };
}

export function observationOf(state: S3BucketState): Observation<"AWS::S3::Bucket"> {
  return {
    resource: {
      type: "AWS::S3::Bucket",
      id: BUCKET,
      arn: BUCKET_ARN,
      account: ACCOUNT,
      region: REGION,
      name: BUCKET,
    },
    state,
    complete: true,
    observedAt: "2025-03-17T10:09:58Z",
    tagsKnown: false,
  };
}

export const kmsRules = (bucketKeyEnabled = true) =>
  JSON.stringify({
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyID: KEY_ARN },
        bucketKeyEnabled,
      },
    ],
  });
export const sseS3Rules = JSON.stringify({
  rules: [
    {
      applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256", kmsMasterKeyID: null },
      bucketKeyEnabled: false,
    },
  ],
});

/**
 * A GetResourceConfigHistory item as the SDK returns it: `configuration` and every
 * `supplementaryConfiguration` value are JSON text there.
 */
export function historyItem(supplementary: Record<string, string>, capturedAt = "2025-03-17T09:40:12.511Z") {
  const item: ConfigurationItem = {
    version: "1.3",
    accountId: ACCOUNT,
    configurationItemCaptureTime: new Date(capturedAt),
    configurationItemStatus: "OK",
    resourceType: "AWS::S3::Bucket",
    resourceId: BUCKET,
    resourceName: BUCKET,
    arn: BUCKET_ARN,
    awsRegion: REGION,
    configuration: JSON.stringify({ name: BUCKET }),
    supplementaryConfiguration: supplementary,
  };
  return { configurationItems: [item] };
}

/** The sample Config item (a compliant bucket), its supplementary configuration edited by `edit`. */
export function configEvent(edit: (supplementary: Record<string, unknown>) => void = () => {}) {
  const event = s3Event("config-item-bucket-compliant");
  const item = (
    event.detail as { configurationItem: { supplementaryConfiguration: Record<string, unknown> } }
  ).configurationItem;
  edit(item.supplementaryConfiguration);
  return event;
}

export const publicReadPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "PublicRead",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: `${BUCKET_ARN}/*`,
    },
  ],
};
