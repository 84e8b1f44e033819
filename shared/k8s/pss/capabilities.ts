import { containerLevel, read } from "../combine";
import { inner, strings, UNREADABLE } from "../lenient";
import { isWindows } from "../spec";
import { PSS_CONTROLS, type PssViolation } from "../types";
import { violation, type PssCheck } from "./check";

/** Baseline: the container runtime's default set; anything else added is a known escalation. */
export const BASELINE_ADDABLE: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);
/** Restricted: the only capability a container may add. */
export const RESTRICTED_ADDABLE = "NET_BIND_SERVICE";
/** Restricted: what `drop` must include (compared exactly, as the PodSecurity admission does). */
export const DROP_ALL = "ALL";

const list = (names: readonly string[]) => names.join(", ");

/**
 * Baseline: `capabilities.add` only from the default set. Restricted (Linux pods): only
 * NET_BIND_SERVICE may be added, and `drop` must include ALL. Container level only.
 */
export const capabilities: PssCheck = (view) => {
  const linux = !isWindows(view);
  return view.containers.flatMap((container) => {
    const level = containerLevel(container);
    const caps = read(level, (c) => c.capabilities);
    const path = `${level.path}.capabilities`;
    const found: PssViolation[] = [];
    // One add element of another shape can't be judged; the string ones still can.
    const addList = inner(caps, (c) => c.add);
    const added = Array.isArray(addList)
      ? addList.filter((cap): cap is string => typeof cap === "string")
      : [];
    const beyondBaseline = added.filter((cap) => !BASELINE_ADDABLE.has(cap));
    if (beyondBaseline.length)
      found.push(
        violation(
          PSS_CONTROLS.capabilities,
          "baseline",
          `${path}.add`,
          beyondBaseline,
          `remove ${list(beyondBaseline)} from \`capabilities.add\``,
        ),
      );
    if (!linux) return found;
    const beyondRestricted = added.filter((cap) => BASELINE_ADDABLE.has(cap) && cap !== RESTRICTED_ADDABLE);
    if (beyondRestricted.length)
      found.push(
        violation(
          PSS_CONTROLS.capabilities,
          "restricted",
          `${path}.add`,
          beyondRestricted,
          `remove ${list(beyondRestricted)} from \`capabilities.add\` (restricted allows only ${RESTRICTED_ADDABLE})`,
        ),
      );
    const drop = strings(inner(caps, (c) => c.drop));
    if (drop !== UNREADABLE && !drop?.includes(DROP_ALL))
      found.push(
        violation(
          PSS_CONTROLS.capabilities,
          "restricted",
          `${path}.drop`,
          drop ?? null,
          "add `capabilities: {drop: [ALL]}` to the container's securityContext",
        ),
      );
    return found;
  });
};
