import type { CheckDefinition } from "../define";
import ec2_3 from "./ec2-3-attached-volume-encrypted";

/** EBS volume checks. Adding one = one file in this folder + one line here. */
export const ebsChecks: readonly CheckDefinition[] = [ec2_3];
