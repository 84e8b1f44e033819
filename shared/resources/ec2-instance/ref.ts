import type { ResourceRef } from "../../core/resource";

export const INSTANCE_TYPE = "AWS::EC2::Instance";

/** The ARN partition of a Region (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The finding's resource id is the instance id; account and region are in the finding id already. */
export function instanceRef(instanceId: string, account: string, region: string): ResourceRef {
  return {
    type: INSTANCE_TYPE,
    id: instanceId,
    arn: `arn:${partitionOf(region)}:ec2:${region}:${account}:instance/${instanceId}`,
    account,
    region,
  };
}
