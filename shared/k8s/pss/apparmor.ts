import { allLevels, read } from "../combine";
import { inner } from "../lenient";
import { PSS_CONTROLS, type PssViolation } from "../types";
import { violation, type PssCheck } from "./check";

const ALLOWED_TYPES: ReadonlySet<string> = new Set(["RuntimeDefault", "Localhost"]);
/** The legacy per-container annotation, still judged by the PodSecurity admission. */
export const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function allowedAnnotation(value: string): boolean {
  return value === "" || value === "runtime/default" || value.startsWith("localhost/");
}

/** Baseline: AppArmor may not be disabled (Unconfined) by the field at either level or by the annotation. */
export const appArmor: PssCheck = (view) => {
  const fields = allLevels(view).flatMap((level): PssViolation[] => {
    const type = inner(
      read(level, (c) => c.appArmorProfile),
      (p) => p.type,
    );
    if (typeof type !== "string" || ALLOWED_TYPES.has(type)) return [];
    return [
      violation(
        PSS_CONTROLS.appArmor,
        "baseline",
        `${level.path}.appArmorProfile.type`,
        type,
        "set `appArmorProfile: {type: RuntimeDefault}` (or Localhost), or remove it",
      ),
    ];
  });
  const annotations = Object.entries(view.annotations).flatMap(([key, value]): PssViolation[] =>
    key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAnnotation(value)
      ? [
          violation(
            PSS_CONTROLS.appArmor,
            "baseline",
            `metadata.annotations[${JSON.stringify(key)}]`,
            value,
            "set the annotation to `runtime/default` (or `localhost/<profile>`), or remove it",
          ),
        ]
      : [],
  );
  return [...fields, ...annotations];
};
