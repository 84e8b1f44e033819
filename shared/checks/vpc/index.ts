import type { CheckDefinition } from "../define";
import ec2_6 from "./ec2-6-vpc-flow-logs";
import flowLogDeleted from "./flow-log-deleted";

/** VPC checks (flow logs). Adding one = one file in this folder + one line here. */
export const vpcChecks: readonly CheckDefinition[] = [flowLogDeleted, ec2_6];
