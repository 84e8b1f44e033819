import { containerLevel, read } from "../combine";
import { inUserNamespace } from "../spec";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

/**
 * Baseline: an Unmasked /proc exposes the node's kernel settings. Since Kubernetes 1.35 baseline allows it
 * in a user-namespace pod (`hostUsers: false`), restricted still does not: the violation is then restricted.
 */
export const procMount: PssCheck = (view) => {
  const profile = inUserNamespace(view) ? "restricted" : "baseline";
  return view.containers.flatMap((container) => {
    const level = containerLevel(container);
    const value = read(level, (c) => c.procMount);
    if (typeof value !== "string" || value === "Default") return [];
    return [
      violation(
        PSS_CONTROLS.procMount,
        profile,
        `${level.path}.procMount`,
        value,
        "remove `procMount` (or set it to Default)",
      ),
    ];
  });
};
