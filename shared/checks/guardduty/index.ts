import type { CheckDefinition } from "../define";

/** GuardDuty tampering checks. Adding one = one file in this folder + one line here. */
export const guardDutyChecks: readonly CheckDefinition[] = [];
