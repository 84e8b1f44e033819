import type { CheckDefinition } from "../define";
import cloudTrail1 from "./cloudtrail-1-multi-region-trail";
import config1 from "./config-1-recording";
import guardDuty1 from "./guardduty-1-enabled";

/** Region-wide controls the sweep judges on `AWS::::AccountRegion`. Adding one = one file + one line here. */
export const accountRegionChecks: readonly CheckDefinition[] = [cloudTrail1, guardDuty1, config1];
