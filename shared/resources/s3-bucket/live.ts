import type { S3Client } from "@aws-sdk/client-s3";
import { errorName } from "../../aws/errors";
import { loadS3 } from "../../aws/sdk";
import { encryptionFromApi } from "./encryption";
import { publicAccessBlockFromApi } from "./public-access-block";
import type { EncryptionRule, PublicAccessBlock } from "./state";

/**
 * Live reads of one bucket. Every call names the expected owner: bucket names are global, and a
 * bucket deleted and re-created by another account must never be read or changed as if it were ours.
 */
export interface BucketTarget {
  bucketName: string;
  accountId: string;
}

export class BucketGoneError extends Error {
  constructor(bucketName: string) {
    super(`bucket ${bucketName} no longer exists`);
    this.name = "BucketGoneError";
  }
}

export const isBucketGone = (error: unknown) => errorName(error) === "NoSuchBucket";

/** Runs a read; `absent` (the setting is not configured) gives `fallback`, a missing bucket throws BucketGoneError. */
async function read<T, F>(
  bucket: BucketTarget,
  call: Promise<T>,
  absent: string,
  fallback: F,
): Promise<T | F> {
  try {
    return await call;
  } catch (error) {
    if (errorName(error) === absent) return fallback;
    if (isBucketGone(error)) throw new BucketGoneError(bucket.bucketName);
    throw error;
  }
}

const target = (bucket: BucketTarget) => ({
  Bucket: bucket.bucketName,
  ExpectedBucketOwner: bucket.accountId,
});

/** The default encryption rules; [] for a bucket with none (only possible before 2023). */
export async function readEncryption(s3: S3Client, bucket: BucketTarget): Promise<EncryptionRule[]> {
  const { GetBucketEncryptionCommand } = await loadS3();
  const out = await read(
    bucket,
    s3.send(new GetBucketEncryptionCommand(target(bucket))),
    "ServerSideEncryptionConfigurationNotFoundError",
    undefined,
  );
  return encryptionFromApi(out?.ServerSideEncryptionConfiguration?.Rules);
}

/** The bucket-level Block Public Access settings; null when the bucket has none. */
export async function readPublicAccessBlock(
  s3: S3Client,
  bucket: BucketTarget,
): Promise<PublicAccessBlock | null> {
  const { GetPublicAccessBlockCommand } = await loadS3();
  const out = await read(
    bucket,
    s3.send(new GetPublicAccessBlockCommand(target(bucket))),
    "NoSuchPublicAccessBlockConfiguration",
    null,
  );
  return out ? publicAccessBlockFromApi(out.PublicAccessBlockConfiguration) : null;
}

/** The bucket policy as JSON text; null when the bucket has none. */
export async function readPolicyText(s3: S3Client, bucket: BucketTarget): Promise<string | null> {
  const { GetBucketPolicyCommand } = await loadS3();
  const out = await read(
    bucket,
    s3.send(new GetBucketPolicyCommand(target(bucket))),
    "NoSuchBucketPolicy",
    null,
  );
  return out?.Policy ?? null;
}

/** The bucket's tags (exemptions); a bucket without tags answers NoSuchTagSet, a deleted one has none. */
export async function readBucketTags(s3: S3Client, bucket: BucketTarget): Promise<Record<string, string>> {
  const { GetBucketTaggingCommand } = await loadS3();
  try {
    const out = await s3.send(new GetBucketTaggingCommand(target(bucket)));
    return Object.fromEntries(
      (out?.TagSet ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? "", t.Value ?? ""]),
    );
  } catch (error) {
    if (errorName(error) === "NoSuchTagSet" || isBucketGone(error)) return {};
    throw error;
  }
}
