/** The parts of the S3 SDK Vigil uses; only ever imported through `loadS3()` (./sdk). */
export {
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
  GetBucketLocationCommand,
  paginateListBuckets,
} from "@aws-sdk/client-s3";
