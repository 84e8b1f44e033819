import type { WorkloadKind } from "../../k8s";

/** Who applied a change, as the Kubernetes audit event names them (groups are what RBAC saw). */
export interface KubernetesRequester {
  username: string;
  groups: string[];
  sourceIPs: string[];
  userAgent?: string;
  /** The audit event's verb: create, update, patch. */
  verb: string;
  /** Set when the request impersonated someone: RBAC judged this user, `username` sent it. */
  impersonatedUser?: string;
}

/** A Pod or a pod template's owner (Deployment, CronJob, ...) as the API server stored it. */
export interface EksWorkloadState {
  cluster: string;
  namespace: string;
  kind: WorkloadKind;
  name: string;
  /** The pod spec: a Pod's own, or the template's of a controller. */
  podSpec: unknown;
  /** The pod's (template's) annotations: the AppArmor annotation form lives there. */
  podAnnotations?: Record<string, string>;
  /**
   * Only the ephemeral containers are judged: a controller's Pod (`kubectl debug`) whose other
   * containers were judged on its owner's template.
   */
  ephemeralOnly?: boolean;
  appliedBy: KubernetesRequester;
  /** Always absent: Kubernetes labels are not AWS tags (exempt workloads in Vigil's config). */
  tags?: Record<string, string>;
}
