export type PssProfile = "baseline" | "restricted";

export interface PssViolation {
  /** Control name as in the PSS tables, e.g. "Privileged Containers", "Seccomp", "Running as Non-root". */
  control: string;
  /** The lowest profile this violation breaks. */
  profile: PssProfile;
  /**
   * Where, relative to the pod: "spec.containers[app].securityContext.privileged" (containers, volumes and
   * sysctls by name, ports by index), "spec.hostNetwork", or `metadata.annotations["…"]`.
   */
  path: string;
  /** What was found, JSON-safe and small (never env values); null when the field is unset. */
  found: unknown;
  /** How to fix, e.g. "add `seccompProfile: {type: RuntimeDefault}`". */
  fix: string;
}

export type WorkloadKind =
  | "Pod"
  | "Deployment"
  | "StatefulSet"
  | "DaemonSet"
  | "ReplicaSet"
  | "Job"
  | "CronJob"
  | "ReplicationController";

export interface Workload {
  kind: WorkloadKind;
  /** "" when the object does not say (a create request's body may leave it to the URL). */
  namespace: string;
  /** "" when the object does not say (generateName). */
  name: string;
  /** The pod spec: a Pod's own, or its template's. */
  spec: unknown;
  /** The pod's (template's) annotations with string values, when it has any. */
  annotations?: Record<string, string>;
}

/** The control names of the Pod Security Standards tables (kubernetes.io), without version notes. */
export const PSS_CONTROLS = {
  hostProcess: "HostProcess",
  hostNamespaces: "Host Namespaces",
  privileged: "Privileged Containers",
  capabilities: "Capabilities",
  hostPathVolumes: "HostPath Volumes",
  hostPorts: "Host Ports",
  hostProbes: "Host Probes / Lifecycle Hooks",
  appArmor: "AppArmor",
  seLinux: "SELinux",
  procMount: "/proc Mount Type",
  seccomp: "Seccomp",
  sysctls: "Sysctls",
  volumeTypes: "Volume Types",
  privilegeEscalation: "Privilege Escalation",
  runAsNonRoot: "Running as Non-root",
  runAsUser: "Running as Non-root user",
} as const;
