import { defineCheck } from "../define";
import { clusterReadActions, clusterTriggers } from "./triggers";

export default defineCheck({
  id: "EKS.3",
  title: "EKS clusters should use encrypted Kubernetes secrets",
  severity: "MEDIUM",
  resourceType: "AWS::EKS::Cluster",
  controls: ["FSBP EKS.3"],
  description:
    "Kubernetes secrets in the cluster are not envelope-encrypted with a KMS key of yours. Associate an encryption configuration for `secrets` with a customer managed KMS key (AssociateEncryptionConfig); it can't be removed afterwards.",
  triggers: clusterTriggers("AssociateEncryptionConfig"),
  iamActions: clusterReadActions,
  undecided: (state) =>
    state.secretsKeyArn === undefined
      ? "this view does not say how the cluster's secrets are encrypted"
      : undefined,
  evaluate: (state) =>
    state.secretsKeyArn === null
      ? [
          {
            summary: `EKS cluster ${state.clusterName} does not encrypt Kubernetes secrets with a KMS key`,
            evidence: { clusterName: state.clusterName, setting: "secretsEncryption", encrypted: false },
          },
        ]
      : [],
});
