import { defineCheck } from "../define";
import { clusterReadActions, clusterTriggers } from "./triggers";

export const ENABLE_AUDIT_LOGGING = { id: "enable-eks-audit-logging", defaultMode: "dry-run" } as const;

export default defineCheck({
  id: "EKS.8",
  title: "EKS clusters should have audit logging enabled",
  severity: "MEDIUM",
  resourceType: "AWS::EKS::Cluster",
  controls: ["FSBP EKS.8"],
  description:
    "The cluster's Kubernetes audit log is not sent to CloudWatch Logs, so who did what in the cluster goes unrecorded. Vigil can turn the `audit` log type on (UpdateClusterConfig), leaving the other log types as they are.",
  triggers: clusterTriggers("UpdateClusterConfig"),
  iamActions: clusterReadActions,
  remediation: ENABLE_AUDIT_LOGGING,
  // An UpdateClusterConfig that doesn't name `audit` leaves it as it was.
  undecided: (state) =>
    state.logTypes?.audit === undefined ? "this view does not say whether audit logging is on" : undefined,
  evaluate: (state) =>
    state.logTypes?.audit === false
      ? [
          {
            summary: `EKS cluster ${state.clusterName} does not send its Kubernetes audit log to CloudWatch Logs`,
            evidence: {
              clusterName: state.clusterName,
              setting: "logging",
              logType: "audit",
              enabled: false,
            },
          },
        ]
      : [],
});
