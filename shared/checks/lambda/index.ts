import type { CheckDefinition } from "../define";

/** Lambda function checks. Adding one = one file in this folder + one line here. */
export const lambdaChecks: readonly CheckDefinition[] = [];
