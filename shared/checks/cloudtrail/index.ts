import type { CheckDefinition } from "../define";

/** CloudTrail tampering checks. Adding one = one file in this folder + one line here. */
export const cloudTrailChecks: readonly CheckDefinition[] = [];
