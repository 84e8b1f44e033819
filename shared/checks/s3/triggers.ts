import { s3BucketReadActions } from "../../resources/s3-bucket/adapter";
import type { CheckTriggers } from "../define";

const SOURCE = "s3.amazonaws.com";
const CONFIG = ["AWS::S3::Bucket"];

export const encryptionTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["DeleteBucketEncryption", "PutBucketEncryption"] }],
  config: CONFIG,
};
export const publicAccessBlockTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: SOURCE, eventNames: ["PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock"] },
  ],
  config: CONFIG,
};
export const policyTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["PutBucketPolicy", "DeleteBucketPolicy"] }],
  config: CONFIG,
};

/** Every read the bucket adapter makes (tags, refresh, AWS Config history), for each check. */
export const bucketReadActions = s3BucketReadActions;
