import type { CheckDefinition } from "../define";
import kms3 from "./kms-3-scheduled-deletion";
import kms4 from "./kms-4-rotation";

/** KMS key checks. Adding one = one file in this folder + one line here. */
export const kmsChecks: readonly CheckDefinition[] = [kms3, kms4];
