import type { ResourceRef } from "../../core/resource";

export const NETWORK_ACL_TYPE = "AWS::EC2::NetworkAcl";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function networkAclRef(networkAclId: string, account: string, region: string): ResourceRef {
  return {
    type: NETWORK_ACL_TYPE,
    id: networkAclId,
    arn: `arn:${partitionOf(region)}:ec2:${region}:${account}:network-acl/${networkAclId}`,
    account,
    region,
  };
}
