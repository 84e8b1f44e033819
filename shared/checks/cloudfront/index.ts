import type { CheckDefinition } from "../define";
import cloudFront3 from "./cloudfront-3-viewer-https";

/** CloudFront encryption in transit. Adding one = one file in this folder + one line here. */
export const cloudFrontChecks: readonly CheckDefinition[] = [cloudFront3];
