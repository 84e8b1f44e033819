import type { CheckDefinition } from "../define";
import ec2_15 from "./ec2-15-auto-assign-public-ip";

/** Subnet checks. Adding one = one file in this folder + one line here. */
export const subnetChecks: readonly CheckDefinition[] = [ec2_15];
