import { allLevels, read } from "../combine";
import { inUserNamespace } from "../spec";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

/**
 * Restricted: no level may set `runAsUser: 0` (unset is allowed: runAsNonRoot covers it). A container that
 * inherits the pod's 0 is reported once, at the pod. Not judged in a user-namespace pod (1.35+).
 */
export const runAsUser: PssCheck = (view) => {
  if (inUserNamespace(view)) return [];
  return allLevels(view).flatMap((level) =>
    read(level, (c) => c.runAsUser) === 0
      ? [
          violation(
            PSS_CONTROLS.runAsUser,
            "restricted",
            `${level.path}.runAsUser`,
            0,
            "set `runAsUser` to a non-zero UID (or remove it)",
          ),
        ]
      : [],
  );
};
