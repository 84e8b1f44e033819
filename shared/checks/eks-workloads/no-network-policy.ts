import { namespaceLevels } from "../../config/eks";
import { defineCheck } from "../define";
import { EKS_AUDIT_TRIGGERS } from "./triggers";

export const NO_NETWORK_POLICY = "VIGIL.EKS.NO_NETWORK_POLICY";

export default defineCheck({
  id: NO_NETWORK_POLICY,
  title: "EKS namespaces should have at least one NetworkPolicy",
  severity: "INFORMATIONAL",
  resourceType: "AWS::EKS::Namespace",
  controls: [],
  description:
    "Without a NetworkPolicy every pod in the namespace accepts traffic from anywhere in the cluster. Add a default-deny policy and allow what is needed (enforced only when the cluster's network plugin supports NetworkPolicy). Vigil knows only what the audit log showed: namespaces it saw created, and the policies created in them since.",
  triggers: EKS_AUDIT_TRIGGERS,
  iamActions: [],
  undecided: (state, { config }) =>
    !state.tracked && !namespaceLevels(config.eks, state.cluster, state.namespace).exempt
      ? `Vigil did not see namespace ${state.namespace} created: its NetworkPolicies are unknown`
      : undefined,
  evaluate(state, { config }) {
    if (namespaceLevels(config.eks, state.cluster, state.namespace).exempt) return [];
    if (!state.tracked || state.networkPolicies.length) return [];
    return [
      {
        summary: `namespace ${state.namespace} in cluster ${state.cluster} has no NetworkPolicy: its pods accept traffic from anywhere in the cluster`,
        evidence: {
          cluster: state.cluster,
          namespace: state.namespace,
          networkPolicies: [],
          tracked: true,
        },
      },
    ];
  },
});
