/** The parts of the Security Hub SDK Vigil uses; only ever imported through `loadSecurityHub()` (./sdk). */
export {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
