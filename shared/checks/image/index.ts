import type { CheckDefinition } from "../define";

/** Image-configuration checks run on push (Dockle-style). Adding one = one file in this folder + one line here. */
export const imageChecks: readonly CheckDefinition[] = [];
