import { afterEach, describe, expect, it } from "vitest";
import { processEksAuditPayload } from "../../shared/eks-audit/batch";
import type { FindingsStore } from "../../shared/findings/store";
import { IncompleteProcessingError } from "../../shared/pipeline/process-event";
import type { VigilConfigInput } from "../../shared/config/schema";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  CLUSTER,
  NO_NETWORK_POLICY,
  PSS_BASELINE,
  PSS_RESTRICTED,
  REGION,
  again,
  auditEvent,
  controlMessage,
  idFor,
  payloadOf,
  subscriptionEvent,
  workloadId,
  type AuditEventJson,
} from "./support";

const SEED_POD = workloadId("payments", "Pod", "secure-pod");
const NODE_AGENT = workloadId("monitoring", "DaemonSet", "node-agent");
const API = workloadId("payments", "Deployment", "api");
const NAMESPACE = `${CLUSTER}/payments`;

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.resource.id, f.checkId, f.status] as const).sort();
const run = (t: TestRuntime, events: (object | string)[]) =>
  processEksAuditPayload(payloadOf(events), t.runtime, REGION);
const evidenceControls = (evidence: Record<string, unknown>[] | undefined) =>
  (evidence?.[0]?.violations as { control: string; path: string }[]).map((v) => v.control);

/** The privileged DaemonSet moved to another namespace (the object and the request both say so). */
function inNamespace(event: AuditEventJson, namespace: string): AuditEventJson {
  event.objectRef.namespace = namespace;
  for (const body of [event.requestObject, event.responseObject] as { metadata: { namespace: string } }[])
    body.metadata.namespace = namespace;
  return event;
}

/** The set-image Deployment as a create of a privileged version (so the later patch fixes it). */
function privilegedApiCreate(): AuditEventJson {
  return auditEvent("deployment-patch-set-image", (e) => {
    e.auditID = "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d";
    e.verb = "create";
    e.stageTimestamp = "2025-03-11T14:00:00.000000Z";
    const response = e.responseObject as {
      spec: { template: { spec: { containers: { securityContext: Record<string, unknown> }[] } } };
    };
    const container = response.spec.template.spec.containers[0];
    if (container) container.securityContext = { privileged: true };
    e.requestObject = structuredClone(e.responseObject);
  });
}

describe("EKS audit log through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());
  const start = async (config?: VigilConfigInput) => {
    t = await testRuntime({ config });
    return t;
  };

  describe("Pod Security Standards", () => {
    it("the seed's example pod passes baseline and fails restricted only for the missing seccomp profile", async () => {
      await start();
      const report = await run(t, [auditEvent("pod-create-seed")]);

      expect(report).toMatchObject({ outcome: "processed", events: 1, judged: 1, invalid: 0 });
      expect(await statuses(t)).toEqual([[SEED_POD, PSS_RESTRICTED, "OPEN"]]);
      const finding = await t.runtime.store.get(idFor(PSS_RESTRICTED, SEED_POD));
      expect(finding).toMatchObject({
        severity: "LOW",
        resource: { type: "AWS::EKS::Workload", id: SEED_POD, account: "111122223333", region: REGION },
        actor: {
          type: "Kubernetes user",
          userName: "arn:aws:sts::111122223333:assumed-role/EKSAdmin/alice",
          sessionIssuerArn: "arn:aws:iam::111122223333:role/EKSAdmin",
          sourceIp: "198.51.100.23",
        },
        eventIds: ["6f0c1a52-8d4e-4c1b-9a7e-3b2f51d0c9a1"],
        eventTime: "2025-03-11T14:02:17.139Z",
      });
      const controls = evidenceControls(finding?.evidence);
      expect(controls.length).toBeGreaterThan(0);
      for (const control of controls) expect(control).toMatch(/seccomp/i);
      expect(finding?.summary).toMatch(
        /^Pod payments\/secure-pod in cluster prod-eks, applied by arn:aws:sts::/,
      );
      expect(finding?.summary).toMatch(/RuntimeDefault/);
      expect(t.notifier.alerts).toHaveLength(1);
      expect(t.notifier.alerts[0]).toMatchObject({ severity: "LOW", actor: { sourceIp: "198.51.100.23" } });
    });

    it("a privileged DaemonSet: a HIGH baseline finding naming the workload, the user and every control with its fix", async () => {
      await start();
      await run(t, [auditEvent("daemonset-create-privileged")]);

      expect(await statuses(t)).toEqual([
        [NODE_AGENT, PSS_BASELINE, "OPEN"],
        [NODE_AGENT, PSS_RESTRICTED, "OPEN"],
      ]);
      const baseline = await t.runtime.store.get(idFor(PSS_BASELINE, NODE_AGENT));
      expect(baseline?.severity).toBe("HIGH");
      expect(baseline?.summary).toMatch(
        /^DaemonSet monitoring\/node-agent in cluster prod-eks, applied by bob \(groups platform-ops\), fails the Pod Security Standards baseline profile: /,
      );
      const controls = evidenceControls(baseline?.evidence).join(" | ");
      expect(controls).toMatch(/privileged/i);
      expect(controls).toMatch(/host ?namespace/i);
      expect(controls).toMatch(/hostpath/i);
      expect(baseline?.evidence[0]).toMatchObject({
        cluster: CLUSTER,
        namespace: "monitoring",
        kind: "DaemonSet",
        name: "node-agent",
        profile: "baseline",
        levels: { report: "restricted", alert: "baseline" },
        appliedBy: {
          username: "bob",
          groups: ["platform-ops", "system:authenticated"],
          sourceIPs: ["203.0.113.77"],
          userAgent: "kubectl/v1.30.4 (linux/amd64) kubernetes/a51b3b7",
          verb: "create",
        },
      });
      for (const v of baseline?.evidence[0]?.violations as { fix: string; path: string }[]) {
        expect(v.fix.length).toBeGreaterThan(5);
        // The field in the DaemonSet the user edits: its pod template's.
        expect(v.path).toMatch(/^spec\.template\.spec\./);
      }
      expect(baseline?.summary).toContain("spec.template.spec.containers[agent].securityContext.privileged");
      // One alert for the workload, with both findings, saying who.
      expect(t.notifier.alerts).toHaveLength(1);
      expect(t.notifier.alerts[0]).toMatchObject({
        severity: "HIGH",
        resource: { id: NODE_AGENT, name: "DaemonSet monitoring/node-agent in cluster prod-eks" },
        actor: {
          type: "Kubernetes user",
          userName: "bob",
          arn: "arn:aws:sts::111122223333:assumed-role/PlatformOps/bob@example.com",
          sessionIssuerArn: "arn:aws:iam::111122223333:role/PlatformOps",
          accountId: "111122223333",
          sourceIp: "203.0.113.77",
        },
      });
      expect(t.notifier.alerts[0]?.findings.map((f) => f.checkId).sort()).toEqual([
        PSS_BASELINE,
        PSS_RESTRICTED,
      ]);
    });

    it("kube-system is exempt by default: the same DaemonSet there opens nothing", async () => {
      await start();
      const report = await run(t, [inNamespace(auditEvent("daemonset-create-privileged"), "kube-system")]);
      expect(report.judged).toBe(1);
      expect(await statuses(t)).toEqual([]);
      expect(t.notifier.alerts).toEqual([]);
    });

    it("configured exempt namespaces (here one cluster's) replace the default", async () => {
      await start({ eks: { exemptNamespaces: [`${CLUSTER}/monitoring`] } });
      await run(t, [auditEvent("daemonset-create-privileged")]);
      await run(t, [
        inNamespace(
          auditEvent("daemonset-create-privileged", (e) => (e.auditID = "b1")),
          "kube-system",
        ),
      ]);
      expect(await statuses(t)).toEqual([
        [workloadId("kube-system", "DaemonSet", "node-agent"), PSS_BASELINE, "OPEN"],
        [workloadId("kube-system", "DaemonSet", "node-agent"), PSS_RESTRICTED, "OPEN"],
      ]);
    });

    it("per-namespace levels: baseline reported but not alerted, restricted not reported", async () => {
      await start({ eks: { namespaces: { monitoring: { report: "baseline", alert: "privileged" } } } });
      await run(t, [auditEvent("daemonset-create-privileged")]);
      expect(await statuses(t)).toEqual([[NODE_AGENT, PSS_BASELINE, "OPEN"]]);
      expect((await t.runtime.store.get(idFor(PSS_BASELINE, NODE_AGENT)))?.severity).toBe("LOW");
    });

    it("per-namespace levels: restricted alerts (HIGH) where the namespace asks for it", async () => {
      await start({ eks: { namespaces: { [`${CLUSTER}/payments`]: { alert: "restricted" } } } });
      await run(t, [auditEvent("pod-create-seed")]);
      expect((await t.runtime.store.get(idFor(PSS_RESTRICTED, SEED_POD)))?.severity).toBe("HIGH");
    });

    it("a clean update (a patch, judged on the stored object) resolves the workload's findings", async () => {
      await start();
      await run(t, [privilegedApiCreate()]);
      expect(await statuses(t)).toEqual([
        [API, PSS_BASELINE, "OPEN"],
        [API, PSS_RESTRICTED, "OPEN"],
      ]);
      await run(t, [auditEvent("deployment-patch-set-image")]);
      expect(await statuses(t)).toEqual([
        [API, PSS_BASELINE, "RESOLVED"],
        [API, PSS_RESTRICTED, "RESOLVED"],
      ]);
    });

    it("deleting the workload resolves its findings", async () => {
      await start();
      await run(t, [privilegedApiCreate(), auditEvent("deployment-delete")]);
      expect(await statuses(t)).toEqual([
        [API, PSS_BASELINE, "RESOLVED"],
        [API, PSS_RESTRICTED, "RESOLVED"],
      ]);
    });

    it("a controller's Pods are not judged again (their template was), and skips are counted", async () => {
      await start();
      const report = await run(t, [
        auditEvent("pod-create-by-replicaset-controller"),
        auditEvent("pod-status-patch-by-kubelet"),
        auditEvent("pod-create-seed", (e) => (e.stage = "RequestReceived")),
        auditEvent("daemonset-create-privileged", (e) => (e.responseStatus.code = 403)),
      ]);
      expect(report).toMatchObject({
        judged: 0,
        invalid: 0,
        skipped: {
          "made by a controller from a template judged on the controller": 1,
          subresource: 1,
          "stage RequestReceived": 1,
          "failed request": 1,
        },
      });
      expect(await statuses(t)).toEqual([]);
      expect(t.logger.entries.find((e) => e.message === "EKS audit events skipped")?.level).toBe("debug");
    });

    it("kubectl debug adds a privileged ephemeral container: a finding on that Pod about it alone", async () => {
      await start();
      await run(t, [auditEvent("pod-ephemeralcontainers-debug")]);
      const pod = workloadId("payments", "Pod", "api-7d9f8c6b5d-x2k9p");
      expect(await statuses(t)).toEqual([
        [pod, PSS_BASELINE, "OPEN"],
        [pod, PSS_RESTRICTED, "OPEN"],
      ]);
      const baseline = await t.runtime.store.get(idFor(PSS_BASELINE, pod));
      for (const v of baseline?.evidence[0]?.violations as { path: string }[])
        expect(v.path).toContain("ephemeralContainers");
      expect(baseline?.actor?.userName).toBe("bob");
    });

    it("a redelivered batch changes nothing and alerts once", async () => {
      await start();
      const payload = payloadOf([auditEvent("daemonset-create-privileged")]);
      await processEksAuditPayload(payload, t.runtime, REGION);
      await processEksAuditPayload(structuredClone(payload), t.runtime, REGION);
      expect(t.notifier.alerts).toHaveLength(1);
      expect((await t.runtime.store.get(idFor(PSS_BASELINE, NODE_AGENT)))?.eventIds).toEqual([
        "a3d8e5b1-47c2-4f09-b6e3-1c2d9f8a7e40",
      ]);
    });
  });

  describe("namespaces without a NetworkPolicy", () => {
    const policy = (change: "networkpolicy-create" | "networkpolicy-delete", name: string, auditID: string) =>
      auditEvent(change, (e) => {
        e.auditID = auditID;
        e.objectRef.name = name;
      });
    const namespaceFinding = () => t.runtime.store.get(idFor(NO_NETWORK_POLICY, NAMESPACE));

    it("opens when the namespace is created, resolves at the first policy, reopens when the last seen goes", async () => {
      await start();
      await run(t, [auditEvent("namespace-create")]);
      expect(await namespaceFinding()).toMatchObject({
        status: "OPEN",
        severity: "INFORMATIONAL",
        resource: { type: "AWS::EKS::Namespace", id: NAMESPACE },
        evidence: [{ cluster: CLUSTER, namespace: "payments", networkPolicies: [], tracked: true }],
      });
      // INFORMATIONAL is under the default minNotifySeverity (LOW): recorded, not alerted.
      expect(t.notifier.alerts).toEqual([]);

      await run(t, [auditEvent("networkpolicy-create"), policy("networkpolicy-create", "allow-dns", "np-2")]);
      expect(await namespaceFinding()).toMatchObject({
        status: "RESOLVED",
        evidence: [{ networkPolicies: ["allow-dns", "default-deny"], tracked: true }],
      });

      await run(t, [auditEvent("networkpolicy-delete")]);
      expect(await namespaceFinding()).toMatchObject({
        status: "RESOLVED",
        evidence: [{ networkPolicies: ["allow-dns"] }],
      });

      await run(t, [policy("networkpolicy-delete", "allow-dns", "np-4")]);
      expect(await namespaceFinding()).toMatchObject({ status: "OPEN", evidence: [{ networkPolicies: [] }] });
    });

    it("a redelivered policy change counts once", async () => {
      await start();
      await run(t, [auditEvent("namespace-create"), auditEvent("networkpolicy-create")]);
      await run(t, [auditEvent("networkpolicy-create"), auditEvent("networkpolicy-create")]);
      await run(t, [auditEvent("networkpolicy-delete")]);
      expect(await namespaceFinding()).toMatchObject({ status: "OPEN", evidence: [{ networkPolicies: [] }] });
    });

    it("a namespace Vigil did not see created is never judged: its policies are unknown", async () => {
      await start();
      await run(t, [auditEvent("networkpolicy-create"), auditEvent("networkpolicy-delete")]);
      expect(await statuses(t)).toEqual([]);
    });

    it("a deleted namespace resolves, and forgets its policies", async () => {
      await start();
      await run(t, [auditEvent("namespace-create")]);
      await run(t, [auditEvent("namespace-create", (e) => ((e.verb = "delete"), (e.auditID = "ns-del")))]);
      expect(await namespaceFinding()).toMatchObject({ status: "RESOLVED", evidence: [{ tracked: false }] });
      // Re-created unseen, then a policy comes and goes: still unknown, nothing reopens.
      await run(t, [auditEvent("networkpolicy-create"), auditEvent("networkpolicy-delete")]);
      expect((await namespaceFinding())?.status).toBe("RESOLVED");
    });

    it("exempt namespaces are not judged", async () => {
      await start({ eks: { exemptNamespaces: ["payments"] } });
      await run(t, [auditEvent("namespace-create")]);
      expect(await statuses(t)).toEqual([]);
    });
  });

  describe("bad input and failures", () => {
    it("a bad log event is logged with where to find it; the batch's other events go on", async () => {
      await start();
      const report = await run(t, [
        '{"kind":"Event","apiVersion":"audit.k8s.io/v1","trunc',
        auditEvent("pod-create-seed"),
      ]);
      expect(report).toMatchObject({ outcome: "processed", events: 2, judged: 1, invalid: 1 });
      const logged = t.logger.entries.find((e) => e.message === "EKS audit log event rejected");
      expect(logged?.level).toBe("error");
      expect(logged?.attributes[0]).toMatchObject({
        logGroup: `/aws/eks/${CLUSTER}/cluster`,
        logEventId: expect.stringMatching(/^\d+$/),
        reason: expect.stringMatching(/not JSON/),
      });
      expect(await statuses(t)).toEqual([[SEED_POD, PSS_RESTRICTED, "OPEN"]]);
    });

    it("a workload body the evaluator can't read is invalid, logged, and changes nothing", async () => {
      await start();
      const report = await run(t, [
        auditEvent("daemonset-create-privileged", (e) => {
          (e.responseObject as Record<string, unknown>).spec = "not a spec";
        }),
      ]);
      expect(report).toMatchObject({ judged: 0, invalid: 1 });
      expect(t.logger.entries.some((e) => e.message === "EKS audit event rejected")).toBe(true);
      expect(await statuses(t)).toEqual([]);
    });

    it("an undecodable payload is logged and dropped (not retried); a CONTROL_MESSAGE is ignored", async () => {
      await start();
      const bad = await processEksAuditPayload({ awslogs: { data: "%%%" } }, t.runtime, REGION);
      expect(bad).toMatchObject({ outcome: "invalid", reason: "awslogs.data is not base64" });
      expect(t.logger.entries.find((e) => e.message === "EKS audit payload rejected")?.level).toBe("error");
      const control = await processEksAuditPayload(subscriptionEvent(controlMessage()), t.runtime, REGION);
      expect(control).toMatchObject({ outcome: "ignored", events: 0 });
      expect(await statuses(t)).toEqual([]);
    });

    it("a log group that is not an EKS cluster's is rejected", async () => {
      await start();
      const report = await processEksAuditPayload(
        payloadOf([auditEvent("pod-create-seed")], { logGroup: "/aws/lambda/something" }),
        t.runtime,
        REGION,
      );
      expect(report).toMatchObject({ outcome: "invalid", events: 1, judged: 0 });
      expect(await statuses(t)).toEqual([]);
    });

    it("a store failure fails the batch after the rest is processed; the retry completes it with one alert", async () => {
      let failures = 1;
      const flaky = (store: FindingsStore): FindingsStore => ({
        get: (id) => store.get(id),
        getMany: (ids) => store.getMany(ids),
        list: (filter) => store.list(filter),
        put: async (finding, expected) => {
          if (failures > 0 && finding.resource.id === NODE_AGENT) {
            failures--;
            throw new Error("ProvisionedThroughputExceededException");
          }
          return store.put(finding, expected);
        },
      });
      t = await testRuntime({ store: flaky });
      const payload = payloadOf([auditEvent("daemonset-create-privileged"), auditEvent("pod-create-seed")]);
      await expect(processEksAuditPayload(payload, t.runtime, REGION)).rejects.toBeInstanceOf(
        IncompleteProcessingError,
      );
      // The seed pod after the failing DaemonSet was still processed.
      expect((await t.runtime.store.get(idFor(PSS_RESTRICTED, SEED_POD)))?.status).toBe("OPEN");
      expect(t.notifier.alerts.map((a) => a.resource.id)).toEqual([SEED_POD]);

      await processEksAuditPayload(structuredClone(payload), t.runtime, REGION); // Lambda's retry
      expect(await statuses(t)).toEqual([
        [NODE_AGENT, PSS_BASELINE, "OPEN"],
        [NODE_AGENT, PSS_RESTRICTED, "OPEN"],
        [SEED_POD, PSS_RESTRICTED, "OPEN"],
      ]);
      expect(t.notifier.alerts.map((a) => a.resource.id)).toEqual([SEED_POD, NODE_AGENT]);
    });

    it("the same object applied again by someone else is a new event: the finding records it", async () => {
      await start();
      await run(t, [auditEvent("daemonset-create-privileged")]);
      await run(t, [
        again(auditEvent("daemonset-create-privileged"), "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"),
      ]);
      expect((await t.runtime.store.get(idFor(PSS_BASELINE, NODE_AGENT)))?.eventIds).toHaveLength(2);
      expect(t.notifier.alerts).toHaveLength(1);
    });
  });
});
