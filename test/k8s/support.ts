import { expect } from "vitest";
import { evaluatePodSecurity, type PssProfile, type PssViolation } from "../../shared/k8s";

export type ContainerKind = "containers" | "initContainers" | "ephemeralContainers";
/** Where an edit lands: the pod spec, or the one container of a kind. */
export type Target = "pod" | ContainerKind;

export const CONTAINER_KINDS: readonly ContainerKind[] = [
  "containers",
  "initContainers",
  "ephemeralContainers",
];
export const TARGETS: readonly Target[] = ["pod", ...CONTAINER_KINDS];
export const NAMES: Readonly<Record<ContainerKind, string>> = {
  containers: "app",
  initContainers: "init",
  ephemeralContainers: "debug",
};

/** "spec" for the pod, "spec.containers[app]" for a container. */
export function prefix(target: Target): string {
  return target === "pod" ? "spec" : `spec.${target}[${NAMES[target]}]`;
}

const hardened = () => ({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });

/** A pod that passes restricted: one container of each kind, a configMap volume, seccomp and non-root at the pod. */
export function compliantPod(): Record<string, unknown> {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    initContainers: [{ name: "init", image: "busybox:1.36", securityContext: hardened() }],
    containers: [
      {
        name: "app",
        image: "registry.example/app:1.0",
        ports: [{ containerPort: 8080 }],
        env: [{ name: "DB_PASSWORD", value: "s3cr3t-value" }],
        securityContext: hardened(),
      },
    ],
    ephemeralContainers: [{ name: "debug", image: "busybox:1.36", securityContext: hardened() }],
    volumes: [{ name: "config", configMap: { name: "app-config" } }],
  };
}

/** [target, dotted path below it, value]; `undefined` deletes the field. */
export type Edit = readonly [Target, string, unknown];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop()!;
  let node = root;
  for (const key of keys) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  if (value === undefined) delete node[last];
  else node[last] = value;
}

export function edited(edits: readonly Edit[], base = compliantPod()): Record<string, unknown> {
  for (const [target, path, value] of edits) {
    const root = target === "pod" ? base : (base[target] as Record<string, unknown>[])[0]!;
    setPath(root, path, value);
  }
  return base;
}

export interface Expected {
  control: string;
  profile: PssProfile;
  path: string;
}

export const v = (control: string, profile: PssProfile, path: string): Expected => ({
  control,
  profile,
  path,
});

const key = (e: Expected) => `${e.control} | ${e.profile} | ${e.path}`;

export function brief(violations: readonly PssViolation[]): string[] {
  return violations.map((x) => key(x)).sort();
}

export interface Case {
  name: string;
  edits: readonly Edit[];
  annotations?: Record<string, string>;
  /** Every violation restricted reports; baseline must report exactly the baseline ones. */
  expect: readonly Expected[];
}

/** Judges a case under both profiles and compares exactly (control, profile, path), in any order. */
export function assertCase(c: Case): PssViolation[] {
  const spec = edited(c.edits);
  const metadata = c.annotations ? { annotations: c.annotations } : undefined;
  const restricted = evaluatePodSecurity(spec, "restricted", metadata);
  const baseline = evaluatePodSecurity(spec, "baseline", metadata);
  expect(brief(restricted)).toEqual(c.expect.map(key).sort());
  expect(brief(baseline)).toEqual(
    c.expect
      .filter((e) => e.profile === "baseline")
      .map(key)
      .sort(),
  );
  return restricted;
}
