/** The parts of the Secrets Manager SDK Vigil uses; only ever imported through `loadSecretsManager()` (./sdk). */
export {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
