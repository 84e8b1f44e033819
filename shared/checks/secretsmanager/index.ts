import type { CheckDefinition } from "../define";
import secretsManager_1 from "./secretsmanager-1-rotation-enabled";
import secretsManager_2 from "./secretsmanager-2-rotation-succeeds";
import secretsManager_3 from "./secretsmanager-3-unused";
import secretsManager_4 from "./secretsmanager-4-rotation-age";

/** Secrets Manager checks. Adding one = one file in this folder + one line here. */
export const secretsManagerChecks: readonly CheckDefinition[] = [
  secretsManager_1,
  secretsManager_2,
  secretsManager_3,
  secretsManager_4,
];
