import type { CheckDefinition } from "./define";
import ec2_13 from "./ec2/ec2-13-ssh-world";
import ec2_14 from "./ec2/ec2-14-rdp-world";
import ec2_18 from "./ec2/ec2-18-unauthorized-ports";
import ec2_19 from "./ec2/ec2-19-high-risk-ports";
import ec2_53 from "./ec2/ec2-53-admin-ports-ipv4";
import ec2_54 from "./ec2/ec2-54-admin-ports-ipv6";
import { ecrChecks } from "./ecr";
import { ecsChecks } from "./ecs";
import { imageChecks } from "./image";
import { imageScanChecks } from "./image-scan";
import { lambdaChecks } from "./lambda";
import { secretsManagerChecks } from "./secretsmanager";
import { cloudTrailChecks } from "./cloudtrail";
import { guardDutyChecks } from "./guardduty";

/**
 * Every check Vigil runs. Adding a check = one file in its area's folder + one line in that
 * folder's index (or here, for the EC2 ones).
 */
export const checks: readonly CheckDefinition[] = [
  ec2_19,
  ec2_13,
  ec2_14,
  ec2_53,
  ec2_54,
  ec2_18,
  ...ecrChecks,
  ...imageScanChecks,
  ...imageChecks,
  ...ecsChecks,
  ...lambdaChecks,
  ...secretsManagerChecks,
  ...cloudTrailChecks,
  ...guardDutyChecks,
];

export function checkById(id: string): CheckDefinition | undefined {
  return checks.find((check) => check.id === id);
}
