/** The parts of the KMS SDK Vigil uses; only ever imported through `loadKms()` (./sdk). */
export {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListResourceTagsCommand,
  paginateListKeys,
} from "@aws-sdk/client-kms";
