import { rdsReadActions } from "../../resources/rds-db-instance/adapter";
import { defineCheck } from "../define";
import { rdsInstanceTriggers } from "./triggers";

/** Detect only: encryption can't be turned on in place (it takes an encrypted snapshot copy and a restore). */
export default defineCheck({
  id: "RDS.3",
  title: "RDS DB instances should have encryption at-rest enabled",
  severity: "MEDIUM",
  resourceType: "AWS::RDS::DBInstance",
  controls: ["FSBP RDS.3", "CIS 2.3.1"],
  description:
    "The instance's storage, automated backups, read replicas and snapshots are not encrypted. Encryption can't be turned on in place: copy a snapshot with a KMS key, restore from it and switch over.",
  triggers: rdsInstanceTriggers,
  iamActions: rdsReadActions,
  undecided: (state) =>
    !state.dbClusterIdentifier && state.storageEncrypted === undefined
      ? "this event does not say whether the instance's storage is encrypted"
      : undefined,
  evaluate: (state) =>
    // A cluster member's storage is the cluster's: RDS.27 judges it there, once.
    !state.dbClusterIdentifier && state.storageEncrypted === false
      ? [
          {
            summary: `DB instance ${state.dbInstanceIdentifier}${state.engine ? ` (${state.engine})` : ""} stores its data unencrypted`,
            evidence: {
              dbInstanceIdentifier: state.dbInstanceIdentifier,
              dbInstanceArn: state.dbInstanceArn,
              ...(state.engine ? { engine: state.engine } : {}),
              storageEncrypted: false,
            },
          },
        ]
      : [],
});
