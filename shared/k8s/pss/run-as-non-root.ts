import { podLevel, read, resolve } from "../combine";
import { inUserNamespace } from "../spec";
import { PSS_CONTROLS, type PssViolation } from "../types";
import { violation, type PssCheck } from "./check";

const FIX = "set `runAsNonRoot: true` in the pod's securityContext (or in this container's)";

/**
 * Restricted: every container must run with `runAsNonRoot: true`, its own or the pod's; a pod-level false
 * is a violation even when every container overrides it (the admission rejects it, and containers added
 * later, e.g. ephemeral ones, inherit it). Not judged in a user-namespace pod (`hostUsers: false`, 1.35+).
 */
export const runAsNonRoot: PssCheck = (view) => {
  if (inUserNamespace(view)) return [];
  const pod = podLevel(view);
  const podValue = read(pod, (c) => c.runAsNonRoot);
  const found: PssViolation[] =
    podValue === false
      ? [violation(PSS_CONTROLS.runAsNonRoot, "restricted", `${pod.path}.runAsNonRoot`, false, FIX)]
      : [];
  for (const container of view.containers) {
    const effective = resolve(view, container, (c) => c.runAsNonRoot);
    if (effective.from === "unreadable" || (effective.from !== "unset" && effective.value)) continue;
    // Unset everywhere, or inherited false (reported at the pod too): the container itself may run as root.
    const own = effective.from === "container" ? effective.value : null;
    found.push(
      violation(
        PSS_CONTROLS.runAsNonRoot,
        "restricted",
        `${container.path}.securityContext.runAsNonRoot`,
        own,
        FIX,
      ),
    );
  }
  return found;
};
