import { KUBERNETES_VERSION } from "../../config/eks-clusters";

/** `1.32` (or `1.32.5`, `v1.32`) as [major, minor]; undefined for anything else. */
export function minorVersion(version: string): [number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether `version` is older than `oldest` (both Kubernetes minor versions); undefined when unreadable. */
export function isOlderThan(version: string, oldest: string): boolean | undefined {
  const v = minorVersion(version);
  const o = KUBERNETES_VERSION.test(oldest) ? minorVersion(oldest) : undefined;
  if (!v || !o) return undefined;
  return v[0] !== o[0] ? v[0] < o[0] : v[1] < o[1];
}
