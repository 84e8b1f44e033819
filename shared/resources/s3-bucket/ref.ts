import type { ResourceRef } from "../../core/resource";
import { UnusableEventError } from "../adapter";

export const S3_BUCKET_TYPE = "AWS::S3::Bucket";

/**
 * DNS-style names (3-63), plus the legacy us-east-1 names (upper case, underscores, up to 255):
 * lenient on purpose, S3 itself rejects what is not a bucket.
 */
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Bucket ARNs name neither a Region nor an account: bucket names are global within a partition. */
export function bucketArn(bucketName: string, region: string): string {
  return `arn:${partitionOf(region)}:s3:::${bucketName}`;
}

/** The finding's resource id is the bucket name (as in Config); account and Region come from the event. */
export function bucketRef(bucketName: string, account: string, region: string): ResourceRef {
  if (!BUCKET_NAME.test(bucketName)) throw new UnusableEventError(`"${bucketName}" is not an S3 bucket name`);
  return {
    type: S3_BUCKET_TYPE,
    id: bucketName,
    arn: bucketArn(bucketName, region),
    account,
    region,
    name: bucketName,
  };
}
