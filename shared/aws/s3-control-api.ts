/** The parts of the S3 Control SDK Vigil uses; only ever imported through `loadS3Control()` (./sdk). */
export {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
