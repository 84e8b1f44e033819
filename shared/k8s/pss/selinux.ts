import { allLevels, read } from "../combine";
import { inner } from "../lenient";
import { PSS_CONTROLS, type PssViolation } from "../types";
import { violation, type PssCheck } from "./check";

/** Baseline: the container types an SELinux option may name ("" is unset). container_engine_t since 1.31. */
export const SELINUX_TYPES: ReadonlySet<string> = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);

/** Baseline: custom SELinux types, and any user or role, at the pod or any container. */
export const seLinux: PssCheck = (view) =>
  allLevels(view).flatMap((level) => {
    const options = read(level, (c) => c.seLinuxOptions);
    const path = `${level.path}.seLinuxOptions`;
    const found: PssViolation[] = [];
    const type = inner(options, (o) => o.type);
    if (typeof type === "string" && !SELINUX_TYPES.has(type))
      found.push(
        violation(
          PSS_CONTROLS.seLinux,
          "baseline",
          `${path}.type`,
          type,
          "remove `seLinuxOptions.type` (or use container_t, container_init_t, container_kvm_t or container_engine_t)",
        ),
      );
    for (const key of ["user", "role"] as const) {
      const value = inner(options, (o) => o[key]);
      if (typeof value === "string" && value !== "")
        found.push(
          violation(
            PSS_CONTROLS.seLinux,
            "baseline",
            `${path}.${key}`,
            value,
            `remove \`seLinuxOptions.${key}\``,
          ),
        );
    }
    return found;
  });
