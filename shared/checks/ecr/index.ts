import type { CheckDefinition } from "../define";

/** ECR repository checks. Adding one = one file in this folder + one line here. */
export const ecrChecks: readonly CheckDefinition[] = [];
