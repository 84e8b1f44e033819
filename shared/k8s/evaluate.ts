import { appArmor } from "./pss/apparmor";
import { capabilities } from "./pss/capabilities";
import type { PssCheck } from "./pss/check";
import { hostNamespaces } from "./pss/host-namespaces";
import { hostPorts } from "./pss/host-ports";
import { hostProbes } from "./pss/host-probes";
import { hostProcess } from "./pss/host-process";
import { privilegeEscalation } from "./pss/privilege-escalation";
import { privileged } from "./pss/privileged";
import { procMount } from "./pss/proc-mount";
import { runAsNonRoot } from "./pss/run-as-non-root";
import { runAsUser } from "./pss/run-as-user";
import { seccomp } from "./pss/seccomp";
import { seLinux } from "./pss/selinux";
import { sysctls } from "./pss/sysctls";
import { hostPathVolumes, volumeTypes } from "./pss/volumes";
import { podView } from "./spec";
import type { PssProfile, PssViolation } from "./types";

/** In the order of the kubernetes.io tables: baseline's controls, then what restricted adds. */
const CHECKS: readonly PssCheck[] = [
  hostProcess,
  hostNamespaces,
  privileged,
  capabilities,
  hostPathVolumes,
  hostPorts,
  hostProbes,
  appArmor,
  seLinux,
  procMount,
  seccomp,
  sysctls,
  volumeTypes,
  privilegeEscalation,
  runAsNonRoot,
  runAsUser,
];

/**
 * Violations of `profile` (restricted includes baseline) by a pod spec (the `spec` of a Pod or of a pod
 * template), plus the pod's metadata annotations (AppArmor legacy annotations). Pure and total: a malformed
 * spec never throws; what can't be read is not judged, so it never yields a false violation. Judged as the
 * newest PodSecurity admission does (policy version "latest"); each violation names the lowest profile it
 * breaks.
 */
export function evaluatePodSecurity(
  spec: unknown,
  profile: PssProfile,
  metadata?: { annotations?: Record<string, string> },
): PssViolation[] {
  const view = podView(spec, metadata);
  if (!view) return [];
  const all = CHECKS.flatMap((check) => check(view));
  return profile === "restricted" ? all : all.filter((v) => v.profile === "baseline");
}
