import type { CheckDefinition } from "../define";
import ec2_8 from "./ec2-8-imdsv2";
import ec2_9 from "./ec2-9-public-ip";

/** EC2 instance checks. Adding one = one file in this folder + one line here. */
export const instanceChecks: readonly CheckDefinition[] = [ec2_8, ec2_9];
