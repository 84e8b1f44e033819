import type { ResourceRef } from "../../core/resource";
import { partitionOf } from "../ec2-instance/ref";

export const SUBNET_TYPE = "AWS::EC2::Subnet";

/** The finding's resource id is the subnet id; account and region are in the finding id already. */
export function subnetRef(subnetId: string, account: string, region: string): ResourceRef {
  return {
    type: SUBNET_TYPE,
    id: subnetId,
    arn: `arn:${partitionOf(region)}:ec2:${region}:${account}:subnet/${subnetId}`,
    account,
    region,
  };
}
