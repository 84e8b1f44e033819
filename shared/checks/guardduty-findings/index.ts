import type { CheckDefinition } from "../define";
import finding from "./finding";

/** GuardDuty threat findings (the detector-tampering checks are in ../guardduty). One file + one line here. */
export const guardDutyFindingChecks: readonly CheckDefinition[] = [finding];
