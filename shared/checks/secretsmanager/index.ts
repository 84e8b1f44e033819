import type { CheckDefinition } from "../define";

/** Secrets Manager checks. Adding one = one file in this folder + one line here. */
export const secretsManagerChecks: readonly CheckDefinition[] = [];
