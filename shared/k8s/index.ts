/**
 * Kubernetes Pod Security Standards (baseline and restricted), judged purely on pod specs.
 * Facts: ../shared/reference/controls.md §5 and the PodSecurity admission checks (kubernetes.io).
 */
export type { PssProfile, PssViolation, Workload, WorkloadKind } from "./types";
export { PSS_CONTROLS } from "./types";
export { evaluatePodSecurity } from "./evaluate";
export { workloadOf } from "./workload";
