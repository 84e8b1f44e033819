import { describe, expect, it } from "vitest";
import { evaluatePodSecurity, PSS_CONTROLS as C } from "../../shared/k8s";
import { assertCase, CONTAINER_KINDS, edited, prefix, v, type Case, type Edit } from "./support";

const sc = (kind: (typeof CONTAINER_KINDS)[number]) => `${prefix(kind)}.securityContext`;
const WINDOWS: Edit = ["pod", "os", { name: "windows" }];

describe("restricted: Volume Types", () => {
  const allowed = {
    configMap: { name: "c" },
    csi: { driver: "secrets-store.csi.k8s.io" },
    downwardAPI: { items: [] },
    emptyDir: {},
    ephemeral: { volumeClaimTemplate: { spec: {} } },
    image: { reference: "registry.example/data:1" },
    persistentVolumeClaim: { claimName: "data" },
    projected: { sources: [] },
    secret: { secretName: "tls" },
  };
  it.each<Case>([
    ...Object.entries(allowed).map(([type, source]) => ({
      name: `${type} passes`,
      edits: [["pod", "volumes", [{ name: "data", [type]: source }]] as const],
      expect: [],
    })),
    {
      name: "a volume with only a name passes (the API server defaults it to emptyDir)",
      edits: [["pod", "volumes", [{ name: "data" }]]],
      expect: [],
    },
    ...["nfs", "awsElasticBlockStore", "gitRepo", "iscsi", "cephfs", "flexVolume"].map((type) => ({
      name: `${type} fails restricted only`,
      edits: [
        [
          "pod",
          "volumes",
          [
            { name: "ok", emptyDir: {} },
            { name: "data", [type]: { x: 1 } },
          ],
        ] as const,
      ],
      expect: [v(C.volumeTypes, "restricted", "spec.volumes[data]")],
    })),
    {
      name: "an unnamed volume is named by index",
      edits: [["pod", "volumes", [{ nfs: { server: "10.0.0.2", path: "/" } }]]],
      expect: [v(C.volumeTypes, "restricted", "spec.volumes[0]")],
    },
  ])("$name", (c) => void assertCase(c));

  it("reports the volume type found", () => {
    const [found] = evaluatePodSecurity(
      edited([["pod", "volumes", [{ name: "d", nfs: { path: "/" } }]]]),
      "restricted",
    );
    expect(found?.found).toEqual(["nfs"]);
  });
});

describe("restricted: Privilege Escalation", () => {
  const field = "securityContext.allowPrivilegeEscalation";
  it.each<Case>(
    CONTAINER_KINDS.flatMap((kind): Case[] => [
      { name: `${kind} false passes`, edits: [[kind, field, false]], expect: [] },
      {
        name: `${kind} true fails`,
        edits: [[kind, field, true]],
        expect: [v(C.privilegeEscalation, "restricted", `${sc(kind)}.allowPrivilegeEscalation`)],
      },
      {
        name: `${kind} unset fails (must be set explicitly)`,
        edits: [[kind, field, undefined]],
        expect: [v(C.privilegeEscalation, "restricted", `${sc(kind)}.allowPrivilegeEscalation`)],
      },
      {
        name: `${kind} unset in a Windows pod passes (Linux-only)`,
        edits: [WINDOWS, [kind, field, undefined]],
        expect: [],
      },
    ]),
  )("$name", (c) => void assertCase(c));

  it("ignores a pod-level allowPrivilegeEscalation (no such field)", () => {
    assertCase({
      name: "pod",
      edits: [["pod", "securityContext.allowPrivilegeEscalation", true]],
      expect: [],
    });
  });
});

describe("restricted: Running as Non-root", () => {
  const pod = "securityContext.runAsNonRoot";
  const containerPaths = CONTAINER_KINDS.map((k) => `${sc(k)}.runAsNonRoot`);
  it.each<Case>([
    {
      name: "pod true, containers unset: passes",
      edits: [],
      expect: [],
    },
    {
      name: "pod unset, every container true: passes",
      edits: [["pod", pod, undefined], ...CONTAINER_KINDS.map((k): Edit => [k, pod, true])],
      expect: [],
    },
    {
      name: "pod unset, containers unset: every container fails",
      edits: [["pod", pod, undefined]],
      expect: containerPaths.map((p) => v(C.runAsNonRoot, "restricted", p)),
    },
    {
      name: "pod false, every container true: the pod's false fails (the admission rejects it)",
      edits: [["pod", pod, false], ...CONTAINER_KINDS.map((k): Edit => [k, pod, true])],
      expect: [v(C.runAsNonRoot, "restricted", "spec.securityContext.runAsNonRoot")],
    },
    {
      name: "pod false, containers unset: the pod and every container fail",
      edits: [["pod", pod, false]],
      expect: [
        v(C.runAsNonRoot, "restricted", "spec.securityContext.runAsNonRoot"),
        ...containerPaths.map((p) => v(C.runAsNonRoot, "restricted", p)),
      ],
    },
    ...CONTAINER_KINDS.flatMap((kind): Case[] => [
      {
        name: `pod true, ${kind} false: the container's override wins and fails`,
        edits: [[kind, pod, false]],
        expect: [v(C.runAsNonRoot, "restricted", `${sc(kind)}.runAsNonRoot`)],
      },
      {
        name: `pod unset, only ${kind} true: the others fail`,
        edits: [
          ["pod", pod, undefined],
          [kind, pod, true],
        ],
        expect: CONTAINER_KINDS.filter((k) => k !== kind).map((k) =>
          v(C.runAsNonRoot, "restricted", `${sc(k)}.runAsNonRoot`),
        ),
      },
    ]),
    {
      name: "a user-namespace pod (hostUsers: false) is not judged (1.35+)",
      edits: [
        ["pod", "hostUsers", false],
        ["pod", pod, false],
      ],
      expect: [],
    },
    {
      name: "hostUsers: true is judged",
      edits: [
        ["pod", "hostUsers", true],
        ["pod", pod, undefined],
      ],
      expect: containerPaths.map((p) => v(C.runAsNonRoot, "restricted", p)),
    },
  ])("$name", (c) => void assertCase(c));
});

describe("restricted: Running as Non-root user", () => {
  const field = "securityContext.runAsUser";
  it.each<Case>([
    { name: "pod 1000 passes", edits: [["pod", field, 1000]], expect: [] },
    {
      name: "pod 0 fails once, at the pod (containers inherit it)",
      edits: [["pod", field, 0]],
      expect: [v(C.runAsUser, "restricted", "spec.securityContext.runAsUser")],
    },
    ...CONTAINER_KINDS.flatMap((kind): Case[] => [
      { name: `${kind} 1001 passes`, edits: [[kind, field, 1001]], expect: [] },
      {
        name: `${kind} 0 fails`,
        edits: [[kind, field, 0]],
        expect: [v(C.runAsUser, "restricted", `${sc(kind)}.runAsUser`)],
      },
      {
        name: `pod 0 with ${kind} 1001 still fails at the pod`,
        edits: [
          ["pod", field, 0],
          [kind, field, 1001],
        ],
        expect: [v(C.runAsUser, "restricted", "spec.securityContext.runAsUser")],
      },
    ]),
    {
      name: "a user-namespace pod is not judged (1.35+)",
      edits: [
        ["pod", "hostUsers", false],
        ["pod", field, 0],
      ],
      expect: [],
    },
  ])("$name", (c) => void assertCase(c));
});

describe("restricted: Seccomp", () => {
  const field = "securityContext.seccompProfile";
  const containerPaths = CONTAINER_KINDS.map((k) => `${sc(k)}.seccompProfile.type`);
  it.each<Case>([
    { name: "pod RuntimeDefault, containers unset: passes", edits: [], expect: [] },
    {
      name: "pod unset, containers unset: every container fails",
      edits: [["pod", field, undefined]],
      expect: containerPaths.map((p) => v(C.seccomp, "restricted", p)),
    },
    {
      name: "pod unset, every container sets one: passes",
      edits: [
        ["pod", field, undefined],
        ["containers", field, { type: "RuntimeDefault" }],
        ["initContainers", field, { type: "Localhost", localhostProfile: "p.json" }],
        ["ephemeralContainers", field, { type: "RuntimeDefault" }],
      ],
      expect: [],
    },
    ...CONTAINER_KINDS.map((kind) => ({
      name: `pod unset, only ${kind} sets one: the others fail`,
      edits: [
        ["pod", field, undefined],
        [kind, field, { type: "RuntimeDefault" }],
      ] as const,
      expect: CONTAINER_KINDS.filter((k) => k !== kind).map((k) =>
        v(C.seccomp, "restricted", `${sc(k)}.seccompProfile.type`),
      ),
    })),
    {
      name: "a Windows pod without seccomp passes (Linux-only)",
      edits: [WINDOWS, ["pod", field, undefined]],
      expect: [],
    },
  ])("$name", (c) => void assertCase(c));
});

describe("restricted: Capabilities", () => {
  const drop = "securityContext.capabilities.drop";
  const add = "securityContext.capabilities.add";
  it.each<Case>(
    CONTAINER_KINDS.flatMap((kind): Case[] => {
      const path = `${sc(kind)}.capabilities`;
      return [
        { name: `${kind} drop [ALL, NET_RAW] passes`, edits: [[kind, drop, ["NET_RAW", "ALL"]]], expect: [] },
        {
          name: `${kind} drop unset fails`,
          edits: [[kind, "securityContext.capabilities", undefined]],
          expect: [v(C.capabilities, "restricted", `${path}.drop`)],
        },
        {
          name: `${kind} drop [NET_RAW] fails`,
          edits: [[kind, drop, ["NET_RAW"]]],
          expect: [v(C.capabilities, "restricted", `${path}.drop`)],
        },
        {
          name: `${kind} drop [all] fails (compared exactly, as the admission does)`,
          edits: [[kind, drop, ["all"]]],
          expect: [v(C.capabilities, "restricted", `${path}.drop`)],
        },
        {
          name: `${kind} without any securityContext fails drop and privilege escalation`,
          edits: [[kind, "securityContext", undefined]],
          expect: [
            v(C.capabilities, "restricted", `${path}.drop`),
            v(C.privilegeEscalation, "restricted", `${sc(kind)}.allowPrivilegeEscalation`),
          ],
        },
        {
          name: `${kind} add [NET_BIND_SERVICE] passes`,
          edits: [[kind, add, ["NET_BIND_SERVICE"]]],
          expect: [],
        },
        {
          name: `${kind} add [CHOWN] fails restricted only`,
          edits: [[kind, add, ["CHOWN"]]],
          expect: [v(C.capabilities, "restricted", `${path}.add`)],
        },
        {
          name: `${kind} in a Windows pod: drop and add are not judged (Linux-only)`,
          edits: [WINDOWS, [kind, "securityContext.capabilities", { add: ["CHOWN"] }]],
          expect: [],
        },
      ];
    }),
  )("$name", (c) => void assertCase(c));
});

describe("restricted includes baseline", () => {
  it("a pod breaking both reports both, and baseline only its own", () => {
    assertCase({
      name: "both",
      edits: [
        ["pod", "hostPID", true],
        ["containers", "securityContext.allowPrivilegeEscalation", true],
      ],
      expect: [
        v(C.hostNamespaces, "baseline", "spec.hostPID"),
        v(
          C.privilegeEscalation,
          "restricted",
          "spec.containers[app].securityContext.allowPrivilegeEscalation",
        ),
      ],
    });
  });
});
