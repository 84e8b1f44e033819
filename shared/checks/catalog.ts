import type { CheckDefinition } from "./define";
import ec2_13 from "./ec2/ec2-13-ssh-world";
import ec2_14 from "./ec2/ec2-14-rdp-world";
import ec2_18 from "./ec2/ec2-18-unauthorized-ports";
import ec2_19 from "./ec2/ec2-19-high-risk-ports";
import ec2_53 from "./ec2/ec2-53-admin-ports-ipv4";
import ec2_54 from "./ec2/ec2-54-admin-ports-ipv6";
import ec2_2 from "./ec2/ec2-2-default-security-group";
import { ecrChecks } from "./ecr";
import { ecsChecks } from "./ecs";
import { imageChecks } from "./image";
import { imageScanChecks } from "./image-scan";
import { lambdaChecks } from "./lambda";
import { secretsManagerChecks } from "./secretsmanager";
import { cloudTrailChecks } from "./cloudtrail";
import { guardDutyChecks } from "./guardduty";
import { vpcChecks } from "./vpc";
import { ebsChecks } from "./ebs";
import { kmsChecks } from "./kms";
import { networkAclChecks } from "./network-acl";
import { instanceChecks } from "./instance";
import { subnetChecks } from "./subnet";
import { accountChecks } from "./account";
import { elbChecks } from "./elb";
import { cloudFrontChecks } from "./cloudfront";
import { dataStoreChecks } from "./data-stores";
import { s3BucketChecks } from "./s3";
import { iamChecks } from "./iam";
import { iamPolicyChecks } from "./iam-policy";
import { iamGrantChecks } from "./iam-grants";
import { eksWorkloadChecks } from "./eks-workloads";
import { eksClusterChecks } from "./eks";
import { guardDutyFindingChecks } from "./guardduty-findings";
import { accountRegionChecks } from "./account-region";

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
  ec2_2,
  ...ecrChecks,
  ...imageScanChecks,
  ...imageChecks,
  ...ecsChecks,
  ...lambdaChecks,
  ...secretsManagerChecks,
  ...cloudTrailChecks,
  ...guardDutyChecks,
  ...vpcChecks,
  ...ebsChecks,
  ...kmsChecks,
  ...networkAclChecks,
  ...instanceChecks,
  ...subnetChecks,
  ...accountChecks,
  ...elbChecks,
  ...cloudFrontChecks,
  ...dataStoreChecks,
  ...s3BucketChecks,
  ...iamChecks,
  ...iamPolicyChecks,
  ...iamGrantChecks,
  ...eksWorkloadChecks,
  ...eksClusterChecks,
  ...guardDutyFindingChecks,
  ...accountRegionChecks,
];

export function checkById(id: string): CheckDefinition | undefined {
  return checks.find((check) => check.id === id);
}
