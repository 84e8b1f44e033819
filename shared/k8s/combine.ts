import { inner, UNREADABLE, type Field } from "./lenient";
import type { SecurityContext } from "./spec";
import type { ContainerView, PodView } from "./spec";

/** Where a securityContext field is read: the pod's or one container's. */
export interface Level {
  /** "spec.securityContext" or "spec.containers[app].securityContext". */
  path: string;
  securityContext: Field<SecurityContext>;
}

export function podLevel(view: PodView): Level {
  return { path: "spec.securityContext", securityContext: view.spec.securityContext };
}

export function containerLevel(view: ContainerView): Level {
  return { path: `${view.path}.securityContext`, securityContext: view.container.securityContext };
}

/** The pod's level then every container's: for fields both levels have, each judged where it is set. */
export function allLevels(view: PodView): Level[] {
  return [podLevel(view), ...view.containers.map(containerLevel)];
}

/** A securityContext field of one level (unset or unreadable when the context itself is). */
export function read<T>(level: Level, pick: (context: SecurityContext) => Field<T>): Field<T> {
  return inner(level.securityContext, pick);
}

/** The value a container runs with for a field both levels have, and which level gave it. */
export type Resolved<T> =
  { from: "container" | "pod"; value: T } | { from: "unset" } | { from: "unreadable" };

/**
 * Kubernetes' rule for fields at both levels (runAsNonRoot, runAsUser, seccompProfile, seLinuxOptions,
 * appArmorProfile, windowsOptions): the container's own value when it sets one, else the pod's.
 */
export function resolve<T>(
  view: PodView,
  container: ContainerView,
  pick: (c: SecurityContext) => Field<T>,
): Resolved<T> {
  const own = read(containerLevel(container), pick);
  if (own === UNREADABLE) return { from: "unreadable" };
  if (own !== undefined) return { from: "container", value: own };
  const pod = read(podLevel(view), pick);
  if (pod === UNREADABLE) return { from: "unreadable" };
  return pod === undefined ? { from: "unset" } : { from: "pod", value: pod };
}
