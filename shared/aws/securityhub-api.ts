/** The parts of the Security Hub SDK Vigil uses; only ever imported through `loadSecurityHub()` (./sdk). */
export { BatchImportFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
