import type { WorkloadKind } from "../k8s";
import type { AuditEvent } from "./audit-event";

/** The workload resources the audit log names, with the kind of their objects and their API group. */
export const WORKLOAD_RESOURCES: Readonly<Record<string, { kind: WorkloadKind; apiGroup: string }>> = {
  pods: { kind: "Pod", apiGroup: "" },
  replicationcontrollers: { kind: "ReplicationController", apiGroup: "" },
  deployments: { kind: "Deployment", apiGroup: "apps" },
  statefulsets: { kind: "StatefulSet", apiGroup: "apps" },
  daemonsets: { kind: "DaemonSet", apiGroup: "apps" },
  replicasets: { kind: "ReplicaSet", apiGroup: "apps" },
  jobs: { kind: "Job", apiGroup: "batch" },
  cronjobs: { kind: "CronJob", apiGroup: "batch" },
};

/**
 * An object whose controller is one of these was made from a template Vigil judged on the
 * controller itself (a Deployment's ReplicaSets, a ReplicaSet's Pods, a CronJob's Jobs): judging it
 * again would report the same fields twice, on objects that come and go.
 */
export const TEMPLATE_OWNER_KINDS: readonly string[] = [
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "ReplicationController",
];

/** `kubectl debug` adds ephemeral containers to a running Pod only through this subresource. */
const EPHEMERAL_CONTAINERS = "ephemeralcontainers";

export type AuditIntent =
  | {
      kind: "workload";
      workloadKind: WorkloadKind;
      namespace: string;
      /** From the object ref; the body's name is used when the request had none (generateName). */
      name: string | undefined;
      /** The object as stored (or, without one, as sent). */
      body: unknown;
      /** Only ephemeral containers are new: the Pod's controller template was judged already. */
      ephemeralOnly: boolean;
    }
  | { kind: "workload-deleted"; workloadKind: WorkloadKind; namespace: string; name: string }
  | { kind: "namespace-created" | "namespace-deleted"; namespace: string }
  | { kind: "network-policy"; change: "created" | "deleted"; namespace: string; name: string }
  | { kind: "skipped"; reason: string };

const skip = (reason: string): AuditIntent => ({ kind: "skipped", reason });

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `?dryRun=All` on the request: the API server validated the change and stored nothing. */
function isDryRun(requestURI: string | undefined): boolean {
  if (!requestURI) return false;
  const query = requestURI.indexOf("?");
  if (query < 0) return false;
  return new URLSearchParams(requestURI.slice(query + 1)).getAll("dryRun").some((v) => v !== "");
}

/** The object's body if it is an object of `kind` (a Status or a patch document is not). */
function objectOfKind(value: unknown, kind: string): Record<string, unknown> | undefined {
  if (!isRecord(value) || !isRecord(value.metadata)) return undefined;
  if (value.kind !== undefined && value.kind !== kind) return undefined;
  return value.kind === kind ? value : { ...value, kind };
}

/** The owner whose template this object was made from, if any. */
export function templateOwner(body: unknown): string | undefined {
  const metadata = isRecord(body) ? body.metadata : undefined;
  const owners =
    isRecord(metadata) && Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  const controller = owners.find(
    (ref): ref is Record<string, unknown> =>
      isRecord(ref) && ref.controller === true && TEMPLATE_OWNER_KINDS.includes(String(ref.kind)),
  );
  return controller ? `${String(controller.kind)} ${String(controller.name)}` : undefined;
}

function classifyWorkload(event: AuditEvent, workloadKind: WorkloadKind, ephemeral: boolean): AuditIntent {
  const ref = event.objectRef ?? {};
  const namespace = ref.namespace;
  if (!namespace) return skip("workload without a namespace");
  if (event.verb === "delete") {
    if (ephemeral) return skip(`verb delete on pods/${EPHEMERAL_CONTAINERS}`);
    return ref.name
      ? { kind: "workload-deleted", workloadKind, namespace, name: ref.name }
      : skip("delete without a name");
  }
  if (!["create", "update", "patch"].includes(event.verb)) return skip(`verb ${event.verb}`);
  // The stored object is what runs (after admission webhooks and defaults); a patch's request is only the patch.
  let body = objectOfKind(event.responseObject, workloadKind);
  if (!body && event.verb === "patch")
    return skip(
      event.requestObject === undefined ? "no body (audit level Metadata)" : "patch without responseObject",
    );
  body ??= objectOfKind(event.requestObject, workloadKind);
  if (!body)
    return skip(
      event.requestObject === undefined && event.responseObject === undefined
        ? "no body (audit level Metadata)"
        : "body is not the object",
    );
  const owner = templateOwner(body);
  if (owner && !ephemeral) return skip("made by a controller from a template judged on the controller");
  return {
    kind: "workload",
    workloadKind,
    namespace,
    name: ref.name,
    body,
    ephemeralOnly: ephemeral && !!owner,
  };
}

/**
 * What an audit event means for Vigil, without any I/O: a workload to judge or forget, a namespace
 * or NetworkPolicy to count, or why it is skipped (reasons are short and stable: they are counted).
 */
export function classifyAuditEvent(event: AuditEvent): AuditIntent {
  if (event.stage !== "ResponseComplete") return skip(`stage ${event.stage}`);
  const ref = event.objectRef;
  if (!ref?.resource) return skip("no object");
  const apiGroup = ref.apiGroup ?? "";
  const workload = WORKLOAD_RESOURCES[ref.resource];
  const watched =
    (workload && workload.apiGroup === apiGroup) ||
    (ref.resource === "networkpolicies" && apiGroup === "networking.k8s.io") ||
    (ref.resource === "namespaces" && apiGroup === "");
  if (!watched) return skip("resource not watched");
  const ephemeral = ref.resource === "pods" && ref.subresource === EPHEMERAL_CONTAINERS;
  if (ref.subresource && !ephemeral) return skip("subresource");
  if (isDryRun(event.requestURI)) return skip("dry run");
  const code = event.responseStatus?.code;
  if (code === undefined) return skip("no response status");
  if (code >= 400) return skip("failed request");

  if (workload) return classifyWorkload(event, workload.kind, ephemeral);
  if (ref.resource === "namespaces") {
    const namespace = ref.name;
    if (!namespace) return skip("namespace without a name");
    if (event.verb === "create") return { kind: "namespace-created", namespace };
    if (event.verb === "delete") return { kind: "namespace-deleted", namespace };
    return skip(`verb ${event.verb}`);
  }
  const { namespace, name } = ref;
  if (!namespace || !name) return skip("NetworkPolicy without a namespace or name");
  if (event.verb === "create") return { kind: "network-policy", change: "created", namespace, name };
  if (event.verb === "delete") return { kind: "network-policy", change: "deleted", namespace, name };
  return skip(`verb ${event.verb}`);
}
