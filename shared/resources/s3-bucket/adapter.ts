import { defineResourceAdapter } from "../adapter";
import { fromBucketCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { readBucketTags } from "./live";
import { refreshBucket } from "./refresh";
import { S3_BUCKET_TYPE } from "./ref";

/**
 * The reads this adapter makes (tags, refresh, the settings before a change): every bucket check
 * lists them as its iamActions. IAM names differ from the API's: GetBucketEncryption needs
 * s3:GetEncryptionConfiguration, GetPublicAccessBlock needs s3:GetBucketPublicAccessBlock.
 */
export const s3BucketReadActions = [
  "s3:GetBucketTagging",
  "s3:GetEncryptionConfiguration",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketPolicy",
  "config:GetResourceConfigHistory",
];

export default defineResourceAdapter({
  resourceType: S3_BUCKET_TYPE,
  fromCloudTrail: fromBucketCall,
  fromConfigItem,
  async readTags(observation, clients) {
    const state = observation.state;
    const bucket = {
      bucketName: observation.resource.id,
      accountId: state?.accountId ?? observation.resource.account,
    };
    return readBucketTags(await clients.s3(), bucket);
  },
  refresh: (observation, clients) => refreshBucket(observation, clients),
});
