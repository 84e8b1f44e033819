import { levelCovers, namespaceLevels } from "../../config/eks";
import { defineCheck } from "../define";
import { profileViolations, workloadViolation } from "./pss";
import { EKS_AUDIT_TRIGGERS } from "./triggers";

export default defineCheck({
  id: "VIGIL.EKS.PSS_RESTRICTED",
  title: "EKS workloads should meet the Pod Security Standards restricted profile",
  severity: "LOW",
  resourceType: "AWS::EKS::Workload",
  controls: ["Kubernetes PSS Restricted"],
  description:
    "A Pod or pod template misses the hardening the restricted profile asks for beyond baseline: runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL, a RuntimeDefault or Localhost seccomp profile, allowed volume types. Add the fields the finding names. LOW where restricted is the report level, HIGH where it is the alert level.",
  triggers: EKS_AUDIT_TRIGGERS,
  iamActions: [],
  evaluate(state, { config }) {
    const levels = namespaceLevels(config.eks, state.cluster, state.namespace);
    if (levels.exempt || !levelCovers(levels.report, "restricted")) return [];
    const violations = profileViolations(state, "restricted");
    if (!violations.length) return [];
    const severity = levelCovers(levels.alert, "restricted") ? "HIGH" : "LOW";
    return [workloadViolation(state, "restricted", violations, levels, severity)];
  },
});
