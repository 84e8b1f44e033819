import { defineCheck } from "../define";
import { isOlderThan } from "./kubernetes-version";
import { clusterReadActions, clusterTriggers } from "./triggers";

export default defineCheck({
  id: "EKS.2",
  title: "EKS clusters should run on a supported Kubernetes version",
  severity: "HIGH",
  resourceType: "AWS::EKS::Cluster",
  controls: ["FSBP EKS.2"],
  description:
    "The cluster runs a Kubernetes version older than the oldest supported one (config `eksClusters.oldestSupportedVersion`), so it misses security fixes. Upgrade the control plane (UpdateClusterVersion) and then the nodes.",
  triggers: clusterTriggers("UpdateClusterVersion"),
  iamActions: clusterReadActions,
  undecided: (state, { config }) => {
    if (state.version === undefined)
      return "this view does not say which Kubernetes version the cluster runs";
    return isOlderThan(state.version, config.eksClusters.oldestSupportedVersion) === undefined
      ? `Kubernetes version "${state.version}" is not a version Vigil can compare`
      : undefined;
  },
  evaluate: (state, { config }) => {
    const oldest = config.eksClusters.oldestSupportedVersion;
    if (state.version === undefined || !isOlderThan(state.version, oldest)) return [];
    return [
      {
        summary: `EKS cluster ${state.clusterName} runs Kubernetes ${state.version}, older than the oldest supported ${oldest}`,
        evidence: {
          clusterName: state.clusterName,
          setting: "version",
          version: state.version,
          oldestSupportedVersion: oldest,
        },
      },
    ];
  },
});
