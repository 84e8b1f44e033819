import type { ResourceRef } from "../../core/resource";

export const ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE = "AWS::S3::AccountPublicAccessBlock";

/**
 * One setting for the whole account, whichever Region's endpoint the call went to: its finding is
 * keyed by the account (AWS Config's resource id for this type) in the `global` pseudo-Region, as
 * Config keys IAM, so a change made through us-east-1 and one through eu-west-1 meet on one finding.
 */
export const ACCOUNT_SETTING_REGION = "global";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** AWS gives the setting no ARN; the one here only names it in ARN form. */
export function accountPublicAccessBlockRef(accountId: string, callRegion: string): ResourceRef {
  return {
    type: ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE,
    id: accountId,
    arn: `arn:${partitionOf(callRegion)}:s3::${accountId}:account-public-access-block`,
    account: accountId,
    region: ACCOUNT_SETTING_REGION,
    name: "S3 account Block Public Access",
  };
}
