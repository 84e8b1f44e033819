import type { CheckDefinition } from "../define";
import ec2_21 from "./ec2-21-nacl-admin-ports";

/** Network ACL checks. Adding one = one file in this folder + one line here. */
export const networkAclChecks: readonly CheckDefinition[] = [ec2_21];
