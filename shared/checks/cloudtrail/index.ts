import type { CheckDefinition } from "../define";
import cloudTrail2 from "./cloudtrail-2-kms-encryption";
import cloudTrail4 from "./cloudtrail-4-log-file-validation";
import deleted from "./deleted";
import loggingStopped from "./logging-stopped";
import multiRegionDisabled from "./multi-region-disabled";

/** CloudTrail tampering checks. Adding one = one file in this folder + one line here. */
export const cloudTrailChecks: readonly CheckDefinition[] = [
  loggingStopped,
  deleted,
  multiRegionDisabled,
  cloudTrail2,
  cloudTrail4,
];
