import { rdsReadActions } from "../../resources/rds-db-instance/adapter";
import { defineCheck } from "../define";
import { rdsClusterTriggers } from "./triggers";

/** Detect only: a cluster's encryption can't be changed after it is created. */
export default defineCheck({
  id: "RDS.27",
  title: "RDS DB clusters should be encrypted at rest",
  severity: "MEDIUM",
  resourceType: "AWS::RDS::DBCluster",
  controls: ["FSBP RDS.27"],
  description:
    "The cluster's storage (and so its instances, backups and snapshots) is not encrypted. It can't be changed in place: restore an encrypted copy of a snapshot into a new cluster and switch over.",
  triggers: rdsClusterTriggers,
  iamActions: rdsReadActions,
  undecided: (state) =>
    state.storageEncrypted === undefined
      ? "this event does not say whether the cluster's storage is encrypted"
      : undefined,
  evaluate: (state) =>
    state.storageEncrypted === false
      ? [
          {
            summary: `DB cluster ${state.dbClusterIdentifier}${state.engine ? ` (${state.engine})` : ""} stores its data unencrypted`,
            evidence: {
              dbClusterIdentifier: state.dbClusterIdentifier,
              dbClusterArn: state.dbClusterArn,
              ...(state.engine ? { engine: state.engine } : {}),
              storageEncrypted: false,
            },
          },
        ]
      : [],
});
