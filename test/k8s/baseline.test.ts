import { describe, expect, it } from "vitest";
import { evaluatePodSecurity, PSS_CONTROLS as C } from "../../shared/k8s";
import {
  assertCase,
  CONTAINER_KINDS,
  compliantPod,
  NAMES,
  prefix,
  TARGETS,
  v,
  type Case,
  type ContainerKind,
  edited,
} from "./support";

const sc = (target: string) => `${target}.securityContext`;

/** Cases for a field every target (pod and each container kind) has. */
function atEveryTarget(
  field: string,
  pass: readonly unknown[],
  fail: readonly unknown[],
  expected: (target: (typeof TARGETS)[number], value: unknown) => Case["expect"],
  targets = TARGETS,
): Case[] {
  return targets.flatMap((target) => [
    ...pass.map((value) => ({
      name: `${target} ${field}=${JSON.stringify(value)} passes`,
      edits: [[target, field, value] as const],
      expect: [],
    })),
    ...fail.map((value) => ({
      name: `${target} ${field}=${JSON.stringify(value)} fails`,
      edits: [[target, field, value] as const],
      expect: expected(target, value),
    })),
  ]);
}

describe("a compliant pod", () => {
  it("passes both profiles", () => {
    expect(evaluatePodSecurity(compliantPod(), "baseline")).toEqual([]);
    expect(evaluatePodSecurity(compliantPod(), "restricted")).toEqual([]);
  });
});

describe("baseline: HostProcess", () => {
  it.each(
    atEveryTarget("securityContext.windowsOptions.hostProcess", [false], [true], (t) => [
      v(C.hostProcess, "baseline", `${sc(prefix(t))}.windowsOptions.hostProcess`),
    ]),
  )("$name", (c) => void assertCase(c));
});

describe("baseline: Host Namespaces", () => {
  const cases: Case[] = ["hostNetwork", "hostPID", "hostIPC"].flatMap((field) => [
    { name: `${field}: false passes`, edits: [["pod", field, false]], expect: [] },
    {
      name: `${field}: true fails`,
      edits: [["pod", field, true]],
      expect: [v(C.hostNamespaces, "baseline", `spec.${field}`)],
    },
  ]);
  it.each(cases)("$name", (c) => void assertCase(c));
});

describe("baseline: Privileged Containers", () => {
  it.each(
    atEveryTarget(
      "securityContext.privileged",
      [false],
      [true],
      (t) => [v(C.privileged, "baseline", `${sc(prefix(t))}.privileged`)],
      CONTAINER_KINDS,
    ),
  )("$name", (c) => void assertCase(c));

  it("ignores a pod-level `privileged` (no such field)", () => {
    assertCase({ name: "pod privileged", edits: [["pod", "securityContext.privileged", true]], expect: [] });
  });
});

describe("baseline: Capabilities (add)", () => {
  const ALL_DEFAULTS = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
  ];
  const field = "securityContext.capabilities.add";
  const cases: Case[] = CONTAINER_KINDS.flatMap((kind) => {
    const path = `${sc(prefix(kind))}.capabilities.add`;
    return [
      {
        name: `${kind} adds NET_BIND_SERVICE: passes both`,
        edits: [[kind, field, ["NET_BIND_SERVICE"]]],
        expect: [],
      },
      {
        name: `${kind} adds the whole default set: passes baseline, fails restricted`,
        edits: [[kind, field, ALL_DEFAULTS]],
        expect: [v(C.capabilities, "restricted", path)],
      },
      {
        name: `${kind} adds SYS_ADMIN: fails baseline`,
        edits: [[kind, field, ["SYS_ADMIN"]]],
        expect: [v(C.capabilities, "baseline", path)],
      },
      {
        name: `${kind} adds NET_RAW and CHOWN: baseline for NET_RAW, restricted for CHOWN`,
        edits: [[kind, field, ["NET_RAW", "CHOWN"]]],
        expect: [v(C.capabilities, "baseline", path), v(C.capabilities, "restricted", path)],
      },
    ];
  });
  it.each(cases)("$name", (c) => void assertCase(c));

  it("reports the capabilities found, baseline and restricted apart", () => {
    const found = assertCase(cases[3]!).map((x) => [x.profile, x.found]);
    expect(found).toEqual([
      ["baseline", ["NET_RAW"]],
      ["restricted", ["CHOWN"]],
    ]);
  });

  it("compares names exactly, as the admission does (CAP_CHOWN is not CHOWN)", () => {
    assertCase({
      name: "CAP_ prefix",
      edits: [["containers", field, ["CAP_CHOWN"]]],
      expect: [v(C.capabilities, "baseline", "spec.containers[app].securityContext.capabilities.add")],
    });
  });
});

describe("baseline: HostPath Volumes", () => {
  it.each<Case>([
    {
      name: "configMap volume passes",
      edits: [["pod", "volumes", [{ name: "c", configMap: { name: "x" } }]]],
      expect: [],
    },
    {
      name: "hostPath volume fails (baseline only: not also a Volume Types violation)",
      edits: [["pod", "volumes", [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }]]],
      expect: [v(C.hostPathVolumes, "baseline", "spec.volumes[sock].hostPath")],
    },
    {
      name: "hostPath: null is unset",
      edits: [["pod", "volumes", [{ name: "c", hostPath: null }]]],
      expect: [],
    },
  ])("$name", (c) => void assertCase(c));

  it("reports the host path", () => {
    const [found] = evaluatePodSecurity(
      edited([
        ["pod", "volumes", [{ name: "sock", hostPath: { path: "/var/run/docker.sock", type: "Socket" } }]],
      ]),
      "baseline",
    );
    expect(found).toMatchObject({ found: "/var/run/docker.sock" });
  });
});

describe("baseline: Host Ports", () => {
  const cases: Case[] = CONTAINER_KINDS.flatMap((kind) => [
    {
      name: `${kind} hostPort 0 passes`,
      edits: [[kind, "ports", [{ containerPort: 80, hostPort: 0 }]]],
      expect: [],
    },
    {
      name: `${kind} hostPort 8080 fails (second port, by index)`,
      edits: [[kind, "ports", [{ containerPort: 80 }, { containerPort: 8080, hostPort: 8080 }]]],
      expect: [v(C.hostPorts, "baseline", `${prefix(kind)}.ports[1].hostPort`)],
    },
  ]);
  it.each(cases)("$name", (c) => void assertCase(c));
});

describe("baseline: Host Probes / Lifecycle Hooks", () => {
  const handlers = [
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle.postStart",
    "lifecycle.preStop",
  ] as const;
  const cases: Case[] = CONTAINER_KINDS.flatMap((kind: ContainerKind) =>
    handlers.flatMap((handler) =>
      (["httpGet", "tcpSocket"] as const).flatMap((action): Case[] => [
        {
          name: `${kind} ${handler}.${action} without host passes`,
          edits: [[kind, `${handler}.${action}`, { port: 8080 }]],
          expect: [],
        },
        {
          name: `${kind} ${handler}.${action} host "" passes`,
          edits: [[kind, `${handler}.${action}`, { port: 8080, host: "" }]],
          expect: [],
        },
        {
          name: `${kind} ${handler}.${action} host 169.254.169.254 fails`,
          edits: [[kind, `${handler}.${action}`, { port: 80, host: "169.254.169.254" }]],
          expect: [v(C.hostProbes, "baseline", `${prefix(kind)}.${handler}.${action}.host`)],
        },
      ]),
    ),
  );
  it.each(cases)("$name", (c) => void assertCase(c));
});

describe("baseline: AppArmor (field)", () => {
  it.each(
    atEveryTarget(
      "securityContext.appArmorProfile",
      [{ type: "RuntimeDefault" }, { type: "Localhost", localhostProfile: "k8s-apparmor-example" }],
      [{ type: "Unconfined" }],
      (t) => [v(C.appArmor, "baseline", `${sc(prefix(t))}.appArmorProfile.type`)],
    ),
  )("$name", (c) => void assertCase(c));
});

describe("baseline: AppArmor (annotation)", () => {
  const key = `container.apparmor.security.beta.kubernetes.io/${NAMES.containers}`;
  it.each<Case>([
    ...["runtime/default", "localhost/k8s-apparmor-example", ""].map((value) => ({
      name: `${JSON.stringify(value)} passes`,
      edits: [],
      annotations: { [key]: value },
      expect: [],
    })),
    ...["unconfined", "docker-default"].map((value) => ({
      name: `${value} fails`,
      edits: [],
      annotations: { [key]: value },
      expect: [v(C.appArmor, "baseline", `metadata.annotations["${key}"]`)],
    })),
    {
      name: "other annotations are not judged",
      edits: [],
      annotations: { "example.com/x": "unconfined" },
      expect: [],
    },
  ])("$name", (c) => void assertCase(c));
});

describe("baseline: SELinux", () => {
  const cases: Case[] = [
    ...atEveryTarget(
      "securityContext.seLinuxOptions.type",
      ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"],
      ["spc_t", "unconfined_t"],
      (t) => [v(C.seLinux, "baseline", `${sc(prefix(t))}.seLinuxOptions.type`)],
    ),
    ...(["user", "role"] as const).flatMap((key) =>
      atEveryTarget(
        `securityContext.seLinuxOptions.${key}`,
        [""],
        [key === "user" ? "system_u" : "system_r"],
        (t) => [v(C.seLinux, "baseline", `${sc(prefix(t))}.seLinuxOptions.${key}`)],
      ),
    ),
    ...atEveryTarget("securityContext.seLinuxOptions.level", ["s0:c123,c456"], [], () => []),
  ];
  it.each(cases)("$name", (c) => void assertCase(c));
});

describe("baseline: /proc Mount Type", () => {
  const cases: Case[] = [
    ...atEveryTarget(
      "securityContext.procMount",
      ["Default"],
      ["Unmasked"],
      (t) => [v(C.procMount, "baseline", `${sc(prefix(t))}.procMount`)],
      CONTAINER_KINDS,
    ),
    ...CONTAINER_KINDS.map((kind) => ({
      name: `${kind} Unmasked in a user-namespace pod (hostUsers: false): restricted only (1.35+)`,
      edits: [
        ["pod", "hostUsers", false],
        [kind, "securityContext.procMount", "Unmasked"],
      ] as const,
      expect: [v(C.procMount, "restricted", `${sc(prefix(kind))}.procMount`)],
    })),
  ];
  it.each(cases)("$name", (c) => void assertCase(c));
});

describe("baseline: Seccomp", () => {
  const containerPaths = CONTAINER_KINDS.map((k) => `${sc(prefix(k))}.seccompProfile.type`);
  it.each<Case>([
    {
      name: "pod Localhost passes",
      edits: [["pod", "securityContext.seccompProfile", { type: "Localhost", localhostProfile: "p.json" }]],
      expect: [],
    },
    {
      name: "pod Unconfined fails baseline; restricted also finds every container without an allowed profile",
      edits: [["pod", "securityContext.seccompProfile", { type: "Unconfined" }]],
      expect: [
        v(C.seccomp, "baseline", "spec.securityContext.seccompProfile.type"),
        ...containerPaths.map((p) => v(C.seccomp, "restricted", p)),
      ],
    },
    ...CONTAINER_KINDS.flatMap((kind): Case[] => [
      {
        name: `${kind} RuntimeDefault passes`,
        edits: [[kind, "securityContext.seccompProfile", { type: "RuntimeDefault" }]],
        expect: [],
      },
      {
        name: `${kind} Unconfined fails baseline (once: not also as missing)`,
        edits: [[kind, "securityContext.seccompProfile", { type: "Unconfined" }]],
        expect: [v(C.seccomp, "baseline", `${sc(prefix(kind))}.seccompProfile.type`)],
      },
    ]),
  ])("$name", (c) => void assertCase(c));
});

describe("baseline: Sysctls", () => {
  const SAFE = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
  ];
  const sysctls = (...names: string[]) => names.map((name) => ({ name, value: "1" }));
  it.each<Case>([
    {
      name: "the whole safe set passes",
      edits: [["pod", "securityContext.sysctls", sysctls(...SAFE)]],
      expect: [],
    },
    {
      name: "kernel.msgmax fails, named in the path",
      edits: [["pod", "securityContext.sysctls", sysctls("net.ipv4.tcp_syncookies", "kernel.msgmax")]],
      expect: [v(C.sysctls, "baseline", "spec.securityContext.sysctls[kernel.msgmax]")],
    },
    {
      name: "a /-separated name is compared exactly, as the admission does",
      edits: [["pod", "securityContext.sysctls", sysctls("net/ipv4/ip_local_port_range")]],
      expect: [v(C.sysctls, "baseline", "spec.securityContext.sysctls[net/ipv4/ip_local_port_range]")],
    },
  ])("$name", (c) => void assertCase(c));

  it("reports the name, never the value", () => {
    const [found] = evaluatePodSecurity(
      edited([["pod", "securityContext.sysctls", [{ name: "kernel.msgmax", value: "65536-secret" }]]]),
      "baseline",
    );
    expect(JSON.stringify(found)).not.toContain("65536-secret");
    expect(found?.found).toBe("kernel.msgmax");
  });
});
