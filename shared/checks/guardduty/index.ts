import type { CheckDefinition } from "../define";
import deleted from "./deleted";
import disabled from "./disabled";
import protectionDisabled from "./protection-disabled";

/** GuardDuty tampering checks. Adding one = one file in this folder + one line here. */
export const guardDutyChecks: readonly CheckDefinition[] = [disabled, deleted, protectionDisabled];
