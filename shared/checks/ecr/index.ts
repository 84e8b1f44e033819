import type { CheckDefinition } from "../define";
import ecr_1 from "./ecr-1-image-scanning";
import ecr_2 from "./ecr-2-tag-immutability";
import ecr_3 from "./ecr-3-lifecycle-policy";
import ecr_5 from "./ecr-5-cmk-encryption";
import publicPolicy from "./public-policy";
import registryScanning from "./registry-scanning";

/** ECR repository checks. Adding one = one file in this folder + one line here. */
export const ecrChecks: readonly CheckDefinition[] = [
  ecr_1,
  ecr_2,
  ecr_3,
  ecr_5,
  publicPolicy,
  registryScanning,
];
