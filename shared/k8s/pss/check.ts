import { small } from "../lenient";
import type { PodView } from "../spec";
import type { PssProfile, PssViolation } from "../types";

/**
 * One control group: every violation the pod has, each tagged with the lowest profile it breaks
 * (the evaluator keeps the restricted ones only when judging restricted).
 */
export type PssCheck = (view: PodView) => PssViolation[];

export function violation(
  control: string,
  profile: PssProfile,
  path: string,
  found: unknown,
  fix: string,
): PssViolation {
  return { control, profile, path, found: small(found), fix };
}
