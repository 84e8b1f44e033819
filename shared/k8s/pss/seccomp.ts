import { allLevels, read, resolve } from "../combine";
import { inner } from "../lenient";
import { isWindows } from "../spec";
import type { SecurityContext } from "../spec";
import { PSS_CONTROLS, type PssViolation } from "../types";
import { violation, type PssCheck } from "./check";

const ALLOWED: ReadonlySet<string> = new Set(["RuntimeDefault", "Localhost"]);
const typeOf = (c: SecurityContext) => inner(c.seccompProfile, (p) => p.type);

/**
 * Baseline: no level may set a seccomp profile other than RuntimeDefault or Localhost (i.e. Unconfined).
 * Restricted (Linux pods): every container must run with one of them, its own or the pod's.
 */
export const seccomp: PssCheck = (view) => {
  const explicit = allLevels(view).flatMap((level): PssViolation[] => {
    const type = read(level, typeOf);
    if (typeof type !== "string" || ALLOWED.has(type)) return [];
    return [
      violation(
        PSS_CONTROLS.seccomp,
        "baseline",
        `${level.path}.seccompProfile.type`,
        type,
        "set `seccompProfile: {type: RuntimeDefault}` (or Localhost)",
      ),
    ];
  });
  if (isWindows(view)) return explicit;
  const missing = view.containers.flatMap((container): PssViolation[] => {
    const effective = resolve(view, container, typeOf);
    // A container's own bad value is the baseline violation above; unreadable ones are not judged.
    if (effective.from === "unreadable" || effective.from === "container") return [];
    if (effective.from === "pod" && ALLOWED.has(effective.value)) return [];
    return [
      violation(
        PSS_CONTROLS.seccomp,
        "restricted",
        `${container.path}.securityContext.seccompProfile.type`,
        null,
        "add `seccompProfile: {type: RuntimeDefault}` to the pod's securityContext (or to this container's)",
      ),
    ];
  });
  return [...explicit, ...missing];
};
