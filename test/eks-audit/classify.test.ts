import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../shared/eks-audit/audit-event";
import { auditEventSchema } from "../../shared/eks-audit/audit-event";
import { classifyAuditEvent, templateOwner } from "../../shared/eks-audit/classify";
import { auditEvent, type AuditEventJson } from "./support";

const parse = (event: AuditEventJson): AuditEvent => auditEventSchema.parse(event);
const classify = (name: string, edit?: (event: AuditEventJson) => void) =>
  classifyAuditEvent(parse(auditEvent(name, edit)));
const skipped = (reason: string) => ({ kind: "skipped", reason });

describe("classifyAuditEvent: what is judged", () => {
  it("a Pod created: judged on the object as stored (responseObject)", () => {
    const event = auditEvent("pod-create-seed");
    expect(classifyAuditEvent(parse(event))).toEqual({
      kind: "workload",
      workloadKind: "Pod",
      namespace: "payments",
      name: "secure-pod",
      body: event.responseObject,
      ephemeralOnly: false,
    });
  });

  it("a create logged at level Request (no responseObject): judged on the request body", () => {
    const event = auditEvent("daemonset-create-privileged", (e) => {
      e.level = "Request";
      delete e.responseObject;
    });
    expect(classifyAuditEvent(parse(event))).toMatchObject({
      kind: "workload",
      workloadKind: "DaemonSet",
      namespace: "monitoring",
      name: "node-agent",
      body: event.requestObject,
    });
  });

  it("an update: judged like a create", () => {
    expect(classify("daemonset-create-privileged", (e) => (e.verb = "update"))).toMatchObject({
      kind: "workload",
      workloadKind: "DaemonSet",
    });
  });

  it("a patch: judged on responseObject, never on the patch itself", () => {
    const event = auditEvent("deployment-patch-set-image");
    expect(classifyAuditEvent(parse(event))).toMatchObject({
      kind: "workload",
      workloadKind: "Deployment",
      name: "api",
      body: event.responseObject,
    });
  });

  it("a Deployment deleted: its findings resolve", () => {
    expect(classify("deployment-delete")).toEqual({
      kind: "workload-deleted",
      workloadKind: "Deployment",
      namespace: "payments",
      name: "api",
    });
  });

  it("kubectl debug on a controller's Pod: only the ephemeral containers are judged, on the Pod", () => {
    expect(classify("pod-ephemeralcontainers-debug")).toMatchObject({
      kind: "workload",
      workloadKind: "Pod",
      name: "api-7d9f8c6b5d-x2k9p",
      ephemeralOnly: true,
    });
  });

  it("kubectl debug on a bare Pod: the whole Pod is judged again", () => {
    expect(
      classify("pod-ephemeralcontainers-debug", (e) => {
        delete (e.responseObject as { metadata: Record<string, unknown> }).metadata.ownerReferences;
      }),
    ).toMatchObject({ kind: "workload", ephemeralOnly: false });
  });

  it.each([
    ["pods", "", "Pod"],
    ["replicationcontrollers", "", "ReplicationController"],
    ["deployments", "apps", "Deployment"],
    ["statefulsets", "apps", "StatefulSet"],
    ["daemonsets", "apps", "DaemonSet"],
    ["replicasets", "apps", "ReplicaSet"],
    ["jobs", "batch", "Job"],
    ["cronjobs", "batch", "CronJob"],
  ])("%s (group %j) are %s workloads", (resource, apiGroup, kind) => {
    const intent = classify("deployment-delete", (e) => {
      e.objectRef.resource = resource;
      if (apiGroup) e.objectRef.apiGroup = apiGroup;
      else delete e.objectRef.apiGroup;
    });
    expect(intent).toMatchObject({ kind: "workload-deleted", workloadKind: kind });
  });

  it("namespaces created and deleted; NetworkPolicies created and deleted", () => {
    expect(classify("namespace-create")).toEqual({ kind: "namespace-created", namespace: "payments" });
    expect(classify("namespace-create", (e) => (e.verb = "delete"))).toEqual({
      kind: "namespace-deleted",
      namespace: "payments",
    });
    expect(classify("networkpolicy-create")).toEqual({
      kind: "network-policy",
      change: "created",
      namespace: "payments",
      name: "default-deny",
    });
    expect(classify("networkpolicy-delete")).toEqual({
      kind: "network-policy",
      change: "deleted",
      namespace: "payments",
      name: "default-deny",
    });
  });
});

describe("classifyAuditEvent: what is skipped, and why (counted)", () => {
  it.each(["RequestReceived", "ResponseStarted", "Panic"])("stage %s", (stage) => {
    expect(classify("pod-create-seed", (e) => (e.stage = stage))).toEqual(skipped(`stage ${stage}`));
  });

  it("an event without a body (audit level Metadata)", () => {
    expect(
      classify("pod-create-seed", (e) => {
        e.level = "Metadata";
        delete e.requestObject;
        delete e.responseObject;
      }),
    ).toEqual(skipped("no body (audit level Metadata)"));
  });

  it("a patch whose stored object was not logged (level Request): the patch alone says too little", () => {
    expect(
      classify("deployment-patch-set-image", (e) => {
        e.level = "Request";
        delete e.responseObject;
      }),
    ).toEqual(skipped("patch without responseObject"));
  });

  it("a body that is not the object (a Status)", () => {
    expect(
      classify("pod-create-seed", (e) => {
        e.responseObject = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" };
        e.requestObject = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" };
      }),
    ).toEqual(skipped("body is not the object"));
  });

  it.each(["status", "exec", "log", "binding", "eviction", "scale"])("subresource %s", (subresource) => {
    expect(classify("pod-status-patch-by-kubelet", (e) => (e.objectRef.subresource = subresource))).toEqual(
      skipped("subresource"),
    );
  });

  it("a dry run (?dryRun=All): nothing was stored", () => {
    expect(
      classify(
        "pod-create-seed",
        (e) => (e.requestURI = "/api/v1/namespaces/payments/pods?dryRun=All&fieldManager=kubectl-create"),
      ),
    ).toEqual(skipped("dry run"));
    expect(
      classify("pod-create-seed", (e) => (e.requestURI = "/api/v1/namespaces/payments/pods?dryRun=")),
    ).toMatchObject({
      kind: "workload",
    });
  });

  it.each([400, 403, 404, 409, 422, 500])("a failed request (%i)", (code) => {
    expect(classify("daemonset-create-privileged", (e) => (e.responseStatus.code = code))).toEqual(
      skipped("failed request"),
    );
  });

  it("no response status", () => {
    expect(
      classify("daemonset-create-privileged", (e) => delete (e as Partial<AuditEventJson>).responseStatus),
    ).toEqual(skipped("no response status"));
  });

  it("a Pod the replicaset controller made from the Deployment's template (judged on the Deployment)", () => {
    expect(classify("pod-create-by-replicaset-controller")).toEqual(
      skipped("made by a controller from a template judged on the controller"),
    );
  });

  it.each(["get", "list", "watch", "deletecollection", "proxy"])("verb %s on a workload", (verb) => {
    expect(classify("daemonset-create-privileged", (e) => (e.verb = verb))).toEqual(skipped(`verb ${verb}`));
  });

  it.each(["update", "patch"])(
    "verb %s on a NetworkPolicy (its name, all that is counted, stays)",
    (verb) => {
      expect(classify("networkpolicy-create", (e) => (e.verb = verb))).toEqual(skipped(`verb ${verb}`));
    },
  );

  it("resources that are not workloads, and workloads of another API group", () => {
    expect(classify("pod-create-seed", (e) => (e.objectRef.resource = "configmaps"))).toEqual(
      skipped("resource not watched"),
    );
    expect(classify("deployment-delete", (e) => (e.objectRef.apiGroup = "extensions"))).toEqual(
      skipped("resource not watched"),
    );
    expect(classify("pod-create-seed", (e) => delete (e as Partial<AuditEventJson>).objectRef)).toEqual(
      skipped("no object"),
    );
  });
});

describe("templateOwner", () => {
  it("names a controlling owner of a template kind only", () => {
    const pod = auditEvent("pod-create-by-replicaset-controller").responseObject;
    expect(templateOwner(pod)).toBe("ReplicaSet api-7d9f8c6b5d");
    const owned = (kind: string, controller: boolean) => ({
      metadata: { ownerReferences: [{ apiVersion: "x/v1", kind, name: "o", uid: "u", controller }] },
    });
    expect(templateOwner(owned("ReplicaSet", false))).toBeUndefined();
    expect(templateOwner(owned("Node", true))).toBeUndefined();
    expect(templateOwner(owned("Workflow", true))).toBeUndefined();
    expect(templateOwner(owned("CronJob", true))).toBe("CronJob o");
    expect(templateOwner({ metadata: {} })).toBeUndefined();
    expect(templateOwner("not an object")).toBeUndefined();
  });
});
