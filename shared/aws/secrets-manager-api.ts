/** The parts of the Secrets Manager SDK Vigil uses; only ever imported through `loadSecretsManager()` (./sdk). */
export {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
  // The sweep's listing (shared/sweep/collectors/secrets.ts).
  paginateListSecrets,
} from "@aws-sdk/client-secrets-manager";
