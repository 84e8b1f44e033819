import type { ResourceRef } from "../../core/resource";

export const ACCOUNT_TYPE = "AWS::::Account";

/**
 * IAM is global: its findings are keyed in the `global` pseudo-Region, as AWS Config keys IAM
 * resources, so a call logged in us-east-1 and a credential report read anywhere meet on one finding.
 */
export const IAM_REGION = "global";

/** The partition of a call's Region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The account itself, as Security Hub's `AWS::::Account` names it; its ARN is the root user's. */
export function accountRef(accountId: string, partition: string): ResourceRef {
  return {
    type: ACCOUNT_TYPE,
    id: accountId,
    arn: `arn:${partition}:iam::${accountId}:root`,
    account: accountId,
    region: IAM_REGION,
    name: `AWS account ${accountId} (root user)`,
  };
}
