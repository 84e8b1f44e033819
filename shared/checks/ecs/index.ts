import type { CheckDefinition } from "../define";

/** ECS task-definition checks. Adding one = one file in this folder + one line here. */
export const ecsChecks: readonly CheckDefinition[] = [];
