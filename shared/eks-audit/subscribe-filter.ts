import { WORKLOAD_RESOURCES } from "./classify";

/**
 * The subscription filter on a cluster's control plane log group: the same whether the stack
 * creates it (clusters listed in `eks.clusters`) or the subscriber function puts it (clusters that
 * turn audit logging on later), so both are one filter, replaced in place, never two.
 */
export const EKS_AUDIT_FILTER_NAME = "vigil-eks-audit";
/** CloudWatch Logs' limit on a filter pattern's length. */
export const MAX_FILTER_PATTERN_CHARS = 1024;

/** `/aws/eks/<cluster>/cluster`: where EKS writes a cluster's control plane logs, the audit stream among them. */
export function eksClusterLogGroupName(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

/**
 * Only the audit events the function acts on leave CloudWatch Logs: completed, successful writes
 * (and deletes) of workloads, NetworkPolicies and namespaces, without subresources but
 * `pods/ephemeralcontainers`. Other log streams (API server, authenticator, ...) are not JSON
 * audit events and never match. The function checks every condition again: the filter only
 * saves invocations.
 */
export function eksAuditFilterPattern(): string {
  const resources = [...Object.keys(WORKLOAD_RESOURCES), "networkpolicies", "namespaces"];
  const anyOf = (field: string, values: string[]) =>
    `(${values.map((v) => `${field} = "${v}"`).join(" || ")})`;
  return (
    `{ ($.stage = "ResponseComplete") && ($.responseStatus.code < 400) && ` +
    `${anyOf("$.verb", ["create", "update", "patch", "delete"])} && ` +
    `${anyOf("$.objectRef.resource", resources)} && ` +
    `(($.objectRef.subresource NOT EXISTS) || ($.objectRef.subresource = "ephemeralcontainers")) }`
  );
}
