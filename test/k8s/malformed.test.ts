import { describe, expect, it } from "vitest";
import { evaluatePodSecurity, PSS_CONTROLS as C, type PssProfile } from "../../shared/k8s";
import { brief, edited, v, type Edit, type Expected } from "./support";

const both = (spec: unknown, metadata?: unknown) =>
  (["baseline", "restricted"] as PssProfile[]).map((profile) =>
    evaluatePodSecurity(spec, profile, metadata as { annotations?: Record<string, string> }),
  );

describe("a malformed spec never throws and never yields a false violation", () => {
  it.each<[string, unknown]>([
    ["undefined", undefined],
    ["null", null],
    ["a number", 1],
    ["a string", "containers"],
    ["an array", [{ containers: [] }]],
    ["an empty object", {}],
    ["containers as a string", { containers: "app" }],
    ["containers of strings and nulls", { containers: ["app", null, 3] }],
  ])("%s: nothing to judge", (_name, spec) => {
    for (const result of both(spec)) expect(result).toEqual([]);
  });

  const cases: [string, Edit[], Expected[]][] = [
    [
      "a container that is not an object is skipped; the others are still judged",
      [
        [
          "pod",
          "containers",
          [
            "app",
            {
              name: "ok",
              securityContext: {
                privileged: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
              },
            },
          ],
        ],
      ],
      [v(C.privileged, "baseline", "spec.containers[ok].securityContext.privileged")],
    ],
    [
      "a securityContext that is a string is not judged",
      [["containers", "securityContext", "restricted"]],
      [],
    ],
    ["a securityContext that is an array is not judged", [["containers", "securityContext", []]], []],
    [
      "runAsNonRoot as a string at the pod: containers that inherit it are not judged",
      [["pod", "securityContext.runAsNonRoot", "true"]],
      [],
    ],
    [
      "runAsNonRoot as a string at a container: only that container is not judged",
      [
        ["pod", "securityContext.runAsNonRoot", undefined],
        ["containers", "securityContext.runAsNonRoot", "yes"],
      ],
      [
        v(C.runAsNonRoot, "restricted", "spec.initContainers[init].securityContext.runAsNonRoot"),
        v(C.runAsNonRoot, "restricted", "spec.ephemeralContainers[debug].securityContext.runAsNonRoot"),
      ],
    ],
    [
      "allowPrivilegeEscalation as a string is not judged",
      [["containers", "securityContext.allowPrivilegeEscalation", "false"]],
      [],
    ],
    ["privileged as a string is not judged", [["containers", "securityContext.privileged", "true"]], []],
    ["hostNetwork as a string is not judged", [["pod", "hostNetwork", "true"]], []],
    ["runAsUser as a string is not judged", [["pod", "securityContext.runAsUser", "0"]], []],
    [
      "capabilities.drop as a string is not judged",
      [["containers", "securityContext.capabilities.drop", "ALL"]],
      [],
    ],
    [
      "capabilities.drop with a non-string element is not judged",
      [["containers", "securityContext.capabilities.drop", [1, "NET_RAW"]]],
      [],
    ],
    ["capabilities as a list is not judged", [["containers", "securityContext.capabilities", ["ALL"]]], []],
    [
      "capabilities.add: the string elements are still judged",
      [["containers", "securityContext.capabilities.add", ["SYS_ADMIN", 5, null]]],
      [v(C.capabilities, "baseline", "spec.containers[app].securityContext.capabilities.add")],
    ],
    [
      "seccompProfile as a string at the pod: containers inheriting it are not judged",
      [["pod", "securityContext.seccompProfile", "RuntimeDefault"]],
      [],
    ],
    [
      "seccompProfile without a type at a container: the pod's applies",
      [["containers", "securityContext.seccompProfile", {}]],
      [],
    ],
    ["volumes as a string are not judged", [["pod", "volumes", "hostPath"]], []],
    [
      "volumes that are not objects are skipped; the others are still judged",
      [["pod", "volumes", [null, 5, "x", { name: "h", hostPath: { path: "/" } }]]],
      [v(C.hostPathVolumes, "baseline", "spec.volumes[h].hostPath")],
    ],
    [
      "a hostPath that is a string is not judged",
      [["pod", "volumes", [{ name: "h", hostPath: "/", emptyDir: {} }]]],
      [],
    ],
    [
      "a hostPort as a string is not judged",
      [["containers", "ports", [{ containerPort: 80, hostPort: "80" }]]],
      [],
    ],
    ["ports as an object are not judged", [["containers", "ports", { hostPort: 80 }]], []],
    [
      "a sysctl without a string name is not judged",
      [["pod", "securityContext.sysctls", [{ name: 5 }, "x"]]],
      [],
    ],
    [
      "a probe host that is a number is not judged",
      [["containers", "livenessProbe.httpGet", { host: 10, port: 80 }]],
      [],
    ],
    ["an os that is a string is not Windows", [["pod", "os", "windows"]], []],
    [
      "a container without a name is named by its index",
      [
        ["containers", "name", undefined],
        ["containers", "securityContext.privileged", true],
      ],
      [v(C.privileged, "baseline", "spec.containers[0].securityContext.privileged")],
    ],
  ];
  it.each(cases)("%s", (_name, edits, expected) => {
    const [baseline, restricted] = both(edited(edits));
    const keys = (list: Expected[]) => list.map((e) => `${e.control} | ${e.profile} | ${e.path}`).sort();
    expect(brief(restricted!)).toEqual(keys(expected));
    expect(brief(baseline!)).toEqual(keys(expected.filter((e) => e.profile === "baseline")));
  });

  it.each<[string, unknown]>([
    ["annotations as a string", { annotations: "x" }],
    [
      "annotation values that are not strings",
      { annotations: { "container.apparmor.security.beta.kubernetes.io/app": 1 } },
    ],
    ["metadata as a number", 7],
  ])("metadata with %s is not judged", (_name, metadata) => {
    for (const result of both(edited([]), metadata)) expect(result).toEqual([]);
  });
});
