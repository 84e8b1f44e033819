import { defineCheck } from "../define";
import { addonTriggers, clusterReadActions } from "./triggers";

export default defineCheck({
  id: "VIGIL.EKS.NETWORK_POLICY_DISABLED",
  title: "The VPC CNI add-on should enforce Kubernetes network policies",
  severity: "MEDIUM",
  resourceType: "AWS::EKS::Cluster",
  controls: [],
  description:
    "The cluster's `vpc-cni` add-on runs without `enableNetworkPolicy: \"true\"`, so NetworkPolicy objects are accepted but not enforced and every pod can reach every other. Set it in the add-on's configuration values (UpdateAddon); exempt the cluster if another engine (Calico, Cilium) enforces policies.",
  triggers: addonTriggers,
  iamActions: clusterReadActions,
  undecided: (state) => {
    const cni = state.vpcCni;
    if (!cni) return "this view does not show the vpc-cni add-on";
    if (!cni.managed)
      return "vpc-cni is not an EKS managed add-on (any more): its network-policy setting can't be read";
    return cni.networkPolicy === undefined
      ? `the vpc-cni configuration can't be read: ${cni.unreadable}`
      : undefined;
  },
  evaluate: (state) =>
    state.vpcCni?.managed && state.vpcCni.networkPolicy === false
      ? [
          {
            summary: `EKS cluster ${state.clusterName}: the vpc-cni add-on does not enforce network policies`,
            evidence: {
              clusterName: state.clusterName,
              setting: "enableNetworkPolicy",
              addon: "vpc-cni",
              enableNetworkPolicy: false,
            },
          },
        ]
      : [],
});
