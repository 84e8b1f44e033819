import { containerLevel, read } from "../combine";
import { UNREADABLE } from "../lenient";
import { isWindows } from "../spec";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

/** Restricted (Linux pods): every container must set `allowPrivilegeEscalation: false` explicitly. */
export const privilegeEscalation: PssCheck = (view) => {
  if (isWindows(view)) return [];
  return view.containers.flatMap((container) => {
    const level = containerLevel(container);
    const value = read(level, (c) => c.allowPrivilegeEscalation);
    if (value === false || value === UNREADABLE) return [];
    return [
      violation(
        PSS_CONTROLS.privilegeEscalation,
        "restricted",
        `${level.path}.allowPrivilegeEscalation`,
        value ?? null,
        "set `allowPrivilegeEscalation: false` in the container's securityContext",
      ),
    ];
  });
};
