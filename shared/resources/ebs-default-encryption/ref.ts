import type { ResourceRef } from "../../core/resource";

export const EBS_DEFAULT_ENCRYPTION_TYPE = "AWS::EC2::EbsEncryptionByDefault";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The setting exists once per account and Region, so `<account>:<region>` is its id (what a config
 * exemption's `resourceIds` names). AWS gives it no ARN; the one here only names it in ARN form.
 */
export function ebsDefaultEncryptionRef(account: string, region: string): ResourceRef {
  return {
    type: EBS_DEFAULT_ENCRYPTION_TYPE,
    id: `${account}:${region}`,
    arn: `arn:${partitionOf(region)}:ec2:${region}:${account}:ebs-encryption-by-default`,
    account,
    region,
    name: "EBS encryption by default",
  };
}
