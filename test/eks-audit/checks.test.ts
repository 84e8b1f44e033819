import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import { objectPath, safeFound, workloadViolation } from "../../shared/checks/eks-workloads/pss";
import type { CheckContext, CheckDefinition } from "../../shared/checks/define";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import { namespaceLevels } from "../../shared/config/eks";
import type { EksNamespaceState } from "../../shared/resources/eks-namespace/state";
import type { EksWorkloadState } from "../../shared/resources/eks-workload/state";
import { catalogMarkdown } from "../../shared/cli/catalog-view";
import { CLUSTER, NO_NETWORK_POLICY, PSS_BASELINE, PSS_RESTRICTED, auditEvent } from "./support";

const context = (config: VigilConfigInput = {}): CheckContext => ({ config: parseConfig(config) });
const check = (id: string) => checkById(id) as CheckDefinition<"AWS::EKS::Workload">;
const namespaceCheck = () => checkById(NO_NETWORK_POLICY) as CheckDefinition<"AWS::EKS::Namespace">;

const seedSpec = () => (auditEvent("pod-create-seed").responseObject as { spec: unknown }).spec;
const daemonSetPodSpec = () =>
  (auditEvent("daemonset-create-privileged").responseObject as { spec: { template: { spec: unknown } } }).spec
    .template.spec;

function workload(podSpec: unknown, overrides: Partial<EksWorkloadState> = {}): EksWorkloadState {
  return {
    cluster: CLUSTER,
    namespace: "payments",
    kind: "Pod",
    name: "secure-pod",
    podSpec,
    appliedBy: {
      username: "alice",
      groups: ["system:authenticated"],
      sourceIPs: ["198.51.100.23"],
      verb: "create",
    },
    ...overrides,
  };
}

/** A compliant restricted pod: the seed's, plus the seccomp profile it lacks. */
const restrictedSpec = () => {
  const spec = seedSpec() as { securityContext: Record<string, unknown> };
  spec.securityContext = { seccompProfile: { type: "RuntimeDefault" } };
  return spec;
};

describe("VIGIL.EKS.PSS_BASELINE", () => {
  it("compliant: the seed's pod", () => {
    expect(check(PSS_BASELINE).evaluate(workload(seedSpec()), context())).toEqual([]);
  });

  it("non-compliant: a privileged DaemonSet, HIGH at the default alert level", () => {
    const [violation, ...rest] = check(PSS_BASELINE).evaluate(
      workload(daemonSetPodSpec(), { kind: "DaemonSet", namespace: "monitoring", name: "node-agent" }),
      context(),
    );
    expect(rest).toEqual([]);
    expect(violation?.severity).toBe("HIGH");
    expect(violation?.summary).toMatch(
      /^DaemonSet monitoring\/node-agent in cluster prod-eks, applied by alice, fails/,
    );
    expect(violation?.evidence).toMatchObject({
      profile: "baseline",
      levels: { report: "restricted", alert: "baseline" },
    });
  });

  it("not applicable: an exempt namespace, or a namespace whose report level is privileged", () => {
    const state = workload(daemonSetPodSpec(), { namespace: "kube-system" });
    expect(check(PSS_BASELINE).evaluate(state, context())).toEqual([]);
    const open = workload(daemonSetPodSpec(), { namespace: "sandbox" });
    expect(
      check(PSS_BASELINE).evaluate(
        open,
        context({ eks: { namespaces: { sandbox: { report: "privileged", alert: "privileged" } } } }),
      ),
    ).toEqual([]);
  });

  it("LOW where baseline is reported but does not alert", () => {
    const config = context({ eks: { alert: "privileged", report: "baseline" } });
    expect(check(PSS_BASELINE).evaluate(workload(daemonSetPodSpec()), config)[0]?.severity).toBe("LOW");
  });

  it("ephemeral-only: the template's own violations are left to the owner's finding", () => {
    const spec = daemonSetPodSpec() as Record<string, unknown>;
    expect(check(PSS_BASELINE).evaluate(workload(spec, { ephemeralOnly: true }), context())).toEqual([]);
    spec.ephemeralContainers = [
      { name: "debugger", image: "busybox", securityContext: { privileged: true } },
    ];
    const [violation] = check(PSS_BASELINE).evaluate(workload(spec, { ephemeralOnly: true }), context());
    const paths = (violation?.evidence.violations as { path: string }[]).map((v) => v.path);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toContain("ephemeralContainers");
  });

  it("is pure: the state it reads is left unchanged", () => {
    const state = workload(daemonSetPodSpec());
    const before = structuredClone(state);
    check(PSS_BASELINE).evaluate(state, context());
    check(PSS_RESTRICTED).evaluate(state, context());
    expect(state).toEqual(before);
  });
});

describe("VIGIL.EKS.PSS_RESTRICTED", () => {
  it("non-compliant: the seed's pod, for the seccomp profile only, LOW", () => {
    const [violation, ...rest] = check(PSS_RESTRICTED).evaluate(workload(seedSpec()), context());
    expect(rest).toEqual([]);
    expect(violation?.severity).toBe("LOW");
    const found = violation?.evidence.violations as { control: string }[];
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) expect(v.control).toMatch(/seccomp/i);
  });

  it("compliant: the seed's pod with a RuntimeDefault seccomp profile", () => {
    expect(check(PSS_RESTRICTED).evaluate(workload(restrictedSpec()), context())).toEqual([]);
  });

  it("does not repeat baseline's violations (a privileged pod's restricted finding is about restricted's own controls)", () => {
    const [violation] = check(PSS_RESTRICTED).evaluate(workload(daemonSetPodSpec()), context());
    const controls = (violation?.evidence.violations as { control: string }[])
      .map((v) => v.control)
      .join(" | ");
    expect(controls).not.toMatch(/privileged container|host ?namespace|hostpath/i);
  });

  it("reports what only restricted forbids even where baseline reports the same control and path (CHOWN next to NET_RAW)", () => {
    const spec = restrictedSpec() as unknown as {
      containers: { securityContext: Record<string, unknown> }[];
    };
    const app = spec.containers[0] as { securityContext: Record<string, unknown> };
    app.securityContext.capabilities = { add: ["CHOWN", "NET_RAW"], drop: ["ALL"] };
    const addPath = "spec.containers[app].securityContext.capabilities.add";
    const [baseline] = check(PSS_BASELINE).evaluate(workload(spec), context());
    expect(baseline?.evidence.violations).toEqual([
      expect.objectContaining({ path: addPath, found: ["NET_RAW"] }),
    ]);
    const [restricted, ...rest] = check(PSS_RESTRICTED).evaluate(workload(spec), context());
    expect(rest).toEqual([]);
    expect(restricted?.evidence.violations).toEqual([
      expect.objectContaining({
        path: addPath,
        found: ["CHOWN"],
        fix: expect.stringContaining("remove CHOWN"),
      }),
    ]);
  });

  it("not applicable where restricted is not reported; HIGH where it alerts", () => {
    expect(
      check(PSS_RESTRICTED).evaluate(workload(seedSpec()), context({ eks: { report: "baseline" } })),
    ).toEqual([]);
    const alerting = context({ eks: { namespaces: { payments: { alert: "restricted" } } } });
    expect(check(PSS_RESTRICTED).evaluate(workload(seedSpec()), alerting)[0]?.severity).toBe("HIGH");
  });
});

describe("VIGIL.EKS.NO_NETWORK_POLICY", () => {
  const ns = (overrides: Partial<EksNamespaceState> = {}): EksNamespaceState => ({
    cluster: CLUSTER,
    namespace: "payments",
    networkPolicies: [],
    tracked: true,
    ...overrides,
  });

  it("non-compliant: a namespace seen created, with no policy since", () => {
    expect(namespaceCheck().evaluate(ns(), context())).toEqual([
      {
        summary:
          "namespace payments in cluster prod-eks has no NetworkPolicy: its pods accept traffic from anywhere in the cluster",
        evidence: { cluster: CLUSTER, namespace: "payments", networkPolicies: [], tracked: true },
      },
    ]);
  });

  it("compliant: one policy seen", () => {
    expect(namespaceCheck().evaluate(ns({ networkPolicies: ["default-deny"] }), context())).toEqual([]);
  });

  it("undecided: a namespace not seen created (its policies are unknown)", () => {
    expect(namespaceCheck().undecided?.(ns({ tracked: false }), context())).toMatch(
      /did not see namespace payments created/,
    );
    expect(namespaceCheck().undecided?.(ns(), context())).toBeUndefined();
  });

  it("not applicable: exempt namespaces", () => {
    expect(namespaceCheck().evaluate(ns({ namespace: "kube-system" }), context())).toEqual([]);
    expect(
      namespaceCheck().undecided?.(ns({ namespace: "kube-system", tracked: false }), context()),
    ).toBeUndefined();
  });
});

describe("catalog entries", () => {
  it.each([
    [PSS_BASELINE, "HIGH", "AWS::EKS::Workload"],
    [PSS_RESTRICTED, "LOW", "AWS::EKS::Workload"],
    [NO_NETWORK_POLICY, "INFORMATIONAL", "AWS::EKS::Namespace"],
  ])("%s: %s on %s, no EventBridge trigger, no reads, no remediation", (id, severity, resourceType) => {
    const entry = checkById(id);
    expect(entry).toMatchObject({
      severity,
      resourceType,
      iamActions: [],
      triggers: { cloudTrail: [], config: [] },
    });
    expect(entry?.remediation).toBeUndefined();
  });

  it("the README table says where they come from", () => {
    const table = catalogMarkdown([checkById(PSS_BASELINE) as CheckDefinition]);
    expect(table).toContain("| VIGIL.EKS.PSS_BASELINE |");
    expect(table).toContain("| CloudWatch Logs subscription | none |");
  });
});

describe("evidence stays small and free of secrets", () => {
  it("safeFound keeps scalars, cuts long strings and names objects by their keys only", () => {
    expect(safeFound(true)).toBe(true);
    expect(safeFound(0)).toBe(0);
    expect(safeFound(undefined)).toBeNull();
    expect(safeFound("x".repeat(300))).toHaveLength(201);
    expect(safeFound({ flexVolume: { options: { password: "s3cr3t" } } })).toBe("object with flexVolume");
    expect(JSON.stringify(safeFound([{ password: "s3cr3t" }, "NET_ADMIN"]))).not.toContain("s3cr3t");
  });

  it("a summary with many controls stays under the alert's line limit", () => {
    const many = Array.from({ length: 80 }, (_, i) => ({
      control: `Control ${i}`,
      profile: "baseline" as const,
      path: `spec.containers[${i}].securityContext.privileged`,
      found: true,
      fix: "set it to false or remove it",
    }));
    const levels = namespaceLevels(parseConfig({}).eks, CLUSTER, "payments");
    const violation = workloadViolation(workload({}), "baseline", many, levels, "HIGH");
    expect(violation.summary.length).toBeLessThanOrEqual(960);
    expect(violation.summary).toMatch(/and \d+ more \(see the evidence\)$/);
    expect(violation.evidence.violations).toHaveLength(50);
    expect(violation.evidence.omitted).toBe(30);
  });
});

describe("eks config", () => {
  it("defaults: report restricted, alert baseline, kube-system exempt, no clusters", () => {
    expect(parseConfig({}).eks).toEqual({
      clusters: [],
      subscribeNewClusters: true,
      report: "restricted",
      alert: "baseline",
      exemptNamespaces: ["kube-system"],
      namespaces: {},
    });
  });

  it("a cluster's namespace wins over the namespace, field by field; what alerts is reported", () => {
    const eks = parseConfig({
      eks: {
        namespaces: { payments: { alert: "restricted" }, [`${CLUSTER}/payments`]: { report: "baseline" } },
      },
    }).eks;
    expect(namespaceLevels(eks, CLUSTER, "payments")).toEqual({
      exempt: false,
      report: "restricted",
      alert: "restricted",
    });
    expect(namespaceLevels(eks, "other", "payments")).toEqual({
      exempt: false,
      report: "restricted",
      alert: "restricted",
    });
    expect(namespaceLevels(eks, CLUSTER, "web")).toEqual({
      exempt: false,
      report: "restricted",
      alert: "baseline",
    });
  });

  it.each([
    [{ clusters: ["bad name!"] }, /clusters/],
    [{ report: "strict" }, /report/],
    [{ exemptNamespaces: ["Kube_System"] }, /exemptNamespaces/],
    [{ namespaces: { "a/b/c": {} } }, /namespaces/],
    [{ unknown: true }, /unknown/i],
  ])("rejects %j", (eks, message) => {
    expect(() => parseConfig({ eks })).toThrow(message);
  });
});

describe("objectPath", () => {
  it("names the field in the object the user edits: a Pod's own, a controller's template", () => {
    expect(objectPath("Pod", "spec.hostPID")).toBe("spec.hostPID");
    expect(objectPath("DaemonSet", "spec.containers[agent].securityContext.privileged")).toBe(
      "spec.template.spec.containers[agent].securityContext.privileged",
    );
    expect(objectPath("CronJob", "spec.hostNetwork")).toBe("spec.jobTemplate.spec.template.spec.hostNetwork");
    expect(
      objectPath("Deployment", 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]'),
    ).toBe('spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]');
  });
});
