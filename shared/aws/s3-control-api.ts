/** The parts of the S3 Control SDK Vigil uses; only ever imported through `loadS3Control()` (./sdk). */
export { S3ControlClient } from "@aws-sdk/client-s3-control";
