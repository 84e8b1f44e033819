import { workloadOf } from "../k8s";
import type { Observation } from "../resources/adapter";
import { UnusableEventError } from "../resources/adapter";
import { eksNamespaceRef } from "../resources/eks-namespace/ref";
import { eksWorkloadRef, type ClusterScope } from "../resources/eks-workload/ref";
import type { VigilRuntime } from "../pipeline/runtime";
import type { AuditEvent } from "./audit-event";
import { requesterFromAudit } from "./actor";
import type { AuditIntent } from "./classify";
import { applyNetworkPolicyChange, forgetNetworkPolicies } from "./network-policies";

type Judged = Exclude<AuditIntent, { kind: "skipped" }>;

/**
 * The observation an audit event makes. A workload's body is the whole object, so the observation
 * is complete (a clean apply resolves its findings) and carries no tags (Kubernetes has none).
 * NetworkPolicy changes read and update the namespace's tracked list in the findings store first.
 */
export async function observationsFor(
  intent: Judged,
  event: AuditEvent,
  scope: ClusterScope,
  observedAt: string,
  rt: VigilRuntime,
): Promise<Observation[]> {
  const base = { complete: true, observedAt, tagsKnown: true };
  switch (intent.kind) {
    case "workload": {
      const workload = workloadOf(intent.body);
      if (!workload)
        throw new UnusableEventError(`${intent.workloadKind} body has no pod spec the evaluator can read`);
      const name = intent.name || workload.name;
      if (!name) throw new UnusableEventError(`${intent.workloadKind} in ${intent.namespace} has no name`);
      return [
        {
          ...base,
          resource: eksWorkloadRef(scope, intent.namespace, intent.workloadKind, name),
          state: {
            cluster: scope.cluster,
            namespace: intent.namespace,
            kind: intent.workloadKind,
            name,
            podSpec: workload.spec,
            ...(workload.annotations ? { podAnnotations: workload.annotations } : {}),
            ...(intent.ephemeralOnly ? { ephemeralOnly: true } : {}),
            appliedBy: requesterFromAudit(event),
          },
        },
      ];
    }
    case "workload-deleted":
      return [
        {
          ...base,
          resource: eksWorkloadRef(scope, intent.namespace, intent.workloadKind, intent.name),
          state: undefined,
        },
      ];
    case "namespace-created":
      return [
        {
          ...base,
          resource: eksNamespaceRef(scope, intent.namespace),
          // A new namespace has no NetworkPolicy yet (a deleted namespace's went with it).
          state: { cluster: scope.cluster, namespace: intent.namespace, networkPolicies: [], tracked: true },
        },
      ];
    case "namespace-deleted": {
      const resource = eksNamespaceRef(scope, intent.namespace);
      await forgetNetworkPolicies(resource, rt);
      return [{ ...base, resource, state: undefined }];
    }
    case "network-policy": {
      const resource = eksNamespaceRef(scope, intent.namespace);
      const state = await applyNetworkPolicyChange(
        resource,
        { cluster: scope.cluster, namespace: intent.namespace },
        { name: intent.name, created: intent.change === "created" },
        rt,
      );
      return [{ ...base, resource, state }];
    }
  }
}
