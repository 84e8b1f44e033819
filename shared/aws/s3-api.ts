/** The parts of the S3 SDK Vigil uses; only ever imported through `loadS3()` (./sdk). */
export { S3Client } from "@aws-sdk/client-s3";
