import { describe, expect, it } from "vitest";
import { evaluatePodSecurity, workloadOf, type WorkloadKind } from "../../shared/k8s";

const podSpec = { containers: [{ name: "app", image: "app:1", securityContext: { privileged: true } }] };
const template = {
  metadata: { labels: { app: "web" }, annotations: { "example.com/team": "web" } },
  spec: podSpec,
};
const meta = { name: "web", namespace: "prod", annotations: { "deployment.kubernetes.io/revision": "3" } };

const objects: [WorkloadKind, string, Record<string, unknown>][] = [
  ["Pod", "v1", { metadata: { ...meta, annotations: template.metadata.annotations }, spec: podSpec }],
  ["ReplicationController", "v1", { metadata: meta, spec: { replicas: 1, template } }],
  ["Deployment", "apps/v1", { metadata: meta, spec: { replicas: 2, selector: {}, template } }],
  ["StatefulSet", "apps/v1", { metadata: meta, spec: { serviceName: "web", template } }],
  ["DaemonSet", "apps/v1", { metadata: meta, spec: { template } }],
  ["ReplicaSet", "apps/v1", { metadata: meta, spec: { template } }],
  ["Job", "batch/v1", { metadata: meta, spec: { backoffLimit: 1, template } }],
  [
    "CronJob",
    "batch/v1",
    { metadata: meta, spec: { schedule: "* * * * *", jobTemplate: { spec: { template } } } },
  ],
];

describe("workloadOf", () => {
  it.each(objects)("finds the pod spec of a %s", (kind, apiVersion, body) => {
    const workload = workloadOf({ apiVersion, kind, ...body });
    expect(workload).toEqual({
      kind,
      namespace: "prod",
      name: "web",
      spec: podSpec,
      // The pod's (template's) annotations, not the controller's.
      annotations: { "example.com/team": "web" },
    });
    expect(evaluatePodSecurity(workload?.spec, "baseline").map((v) => v.path)).toEqual([
      "spec.containers[app].securityContext.privileged",
    ]);
  });

  it.each([
    ["Deployment", "extensions/v1beta1"],
    ["DaemonSet", "extensions/v1beta1"],
    ["StatefulSet", "apps/v1beta2"],
    ["CronJob", "batch/v1beta1"],
  ])("accepts the older API version of a %s (%s)", (kind, apiVersion) => {
    const body = objects.find(([k]) => k === kind)![2];
    expect(workloadOf({ apiVersion, kind, ...body })?.kind).toBe(kind);
  });

  it("accepts an object without apiVersion (the audit intake may leave it out)", () => {
    expect(workloadOf({ kind: "Deployment", ...objects[2]![2] })?.spec).toEqual(podSpec);
  });

  it("keeps only string annotations, and leaves annotations out when there are none", () => {
    const pod = workloadOf({
      kind: "Pod",
      metadata: { name: "p", annotations: { a: "x", b: 3 } },
      spec: podSpec,
    });
    expect(pod?.annotations).toEqual({ a: "x" });
    expect(workloadOf({ kind: "Pod", metadata: { name: "p" }, spec: podSpec })).not.toHaveProperty(
      "annotations",
    );
  });

  it('gives "" for a missing name or namespace (generateName, namespace from the URL)', () => {
    expect(workloadOf({ kind: "Pod", metadata: { generateName: "web-" }, spec: podSpec })).toMatchObject({
      name: "",
      namespace: "",
    });
    expect(workloadOf({ kind: "Pod", spec: podSpec })).toMatchObject({ name: "", namespace: "" });
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["a string", "Pod"],
    ["an array", [{ kind: "Pod", spec: podSpec }]],
    ["no kind", { spec: podSpec }],
    ["a kind of another type", { kind: 3, spec: podSpec }],
    ["another kind", { kind: "Service", spec: { ports: [] } }],
    [
      "a same-named kind of another API group",
      { apiVersion: "batch.volcano.sh/v1alpha1", kind: "Job", spec: { template } },
    ],
    ["a Deployment in the core group", { apiVersion: "v1", kind: "Deployment", spec: { template } }],
    ["a non-string apiVersion", { apiVersion: 1, kind: "Pod", spec: podSpec }],
    ["a Pod without spec", { kind: "Pod", metadata: meta }],
    ["a Pod whose spec is a string", { kind: "Pod", spec: "containers" }],
    ["a Pod whose spec is an array", { kind: "Pod", spec: [podSpec] }],
    ["a Deployment without template", { kind: "Deployment", spec: { replicas: 1 } }],
    ["a Deployment whose template has no spec", { kind: "Deployment", spec: { template: { metadata: {} } } }],
    ["a Deployment whose template spec is a number", { kind: "Deployment", spec: { template: { spec: 1 } } }],
    ["a CronJob with spec.template instead of jobTemplate", { kind: "CronJob", spec: { template } }],
    ["a CronJob whose jobTemplate is a string", { kind: "CronJob", spec: { jobTemplate: "x" } }],
  ])("returns undefined for %s", (_name, object) => {
    expect(workloadOf(object)).toBeUndefined();
  });

  it("does not let malformed metadata hide the spec", () => {
    expect(workloadOf({ kind: "Pod", metadata: "x", spec: podSpec })).toEqual({
      kind: "Pod",
      namespace: "",
      name: "",
      spec: podSpec,
    });
  });
});
