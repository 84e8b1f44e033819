/** The parts of the KMS SDK Vigil uses; only ever imported through `loadKms()` (./sdk). */
export { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
