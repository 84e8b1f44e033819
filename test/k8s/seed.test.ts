import { describe, expect, it } from "vitest";
import { evaluatePodSecurity } from "../../shared/k8s";

/** ../shared/reference/seed-container-security.md, "Kubernetes YAML Example (securityContext)". */
const seedPod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "secure-pod" },
  spec: {
    containers: [
      {
        name: "app",
        image: "myapp:latest",
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 1001,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        },
      },
    ],
  },
};

describe("the seed's example pod", () => {
  it("passes baseline", () => {
    expect(evaluatePodSecurity(seedPod.spec, "baseline")).toEqual([]);
  });

  it("fails restricted only for the missing seccomp profile", () => {
    expect(evaluatePodSecurity(seedPod.spec, "restricted")).toEqual([
      {
        control: "Seccomp",
        profile: "restricted",
        path: "spec.containers[app].securityContext.seccompProfile.type",
        found: null,
        fix: "add `seccompProfile: {type: RuntimeDefault}` to the pod's securityContext (or to this container's)",
      },
    ]);
  });

  it("passes restricted once the pod sets RuntimeDefault", () => {
    const spec = { ...seedPod.spec, securityContext: { seccompProfile: { type: "RuntimeDefault" } } };
    expect(evaluatePodSecurity(spec, "restricted")).toEqual([]);
  });
});
