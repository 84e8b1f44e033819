import { levelCovers, namespaceLevels } from "../../config/eks";
import { defineCheck } from "../define";
import { profileViolations, workloadViolation } from "./pss";
import { EKS_AUDIT_TRIGGERS } from "./triggers";

export default defineCheck({
  id: "VIGIL.EKS.PSS_BASELINE",
  title: "EKS workloads should meet the Pod Security Standards baseline profile",
  severity: "HIGH",
  resourceType: "AWS::EKS::Workload",
  controls: ["Kubernetes PSS Baseline"],
  description:
    "A Pod or pod template applied to the cluster uses a known privilege escalation (privileged containers, host namespaces, hostPath, added capabilities, unsafe sysctls, ...). Remove the fields the finding names, or exempt the namespace in Vigil's eks config if it really needs them. Judged from the EKS audit log.",
  triggers: EKS_AUDIT_TRIGGERS,
  iamActions: [],
  evaluate(state, { config }) {
    const levels = namespaceLevels(config.eks, state.cluster, state.namespace);
    if (levels.exempt || !levelCovers(levels.report, "baseline")) return [];
    const violations = profileViolations(state, "baseline");
    if (!violations.length) return [];
    const severity = levelCovers(levels.alert, "baseline") ? "HIGH" : "LOW";
    return [workloadViolation(state, "baseline", violations, levels, severity)];
  },
});
