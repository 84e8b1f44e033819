import type { ResourceRef } from "../../core/resource";

export const VOLUME_TYPE = "AWS::EC2::Volume";

/** EBS volume ids: `vol-` and 8 (older) or 17 hex digits. */
export const VOLUME_ID = /^vol-[0-9a-f]{8,17}$/;

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The finding's resource id is the volume id; account and region are in the finding id already. */
export function volumeRef(volumeId: string, account: string, region: string): ResourceRef {
  return {
    type: VOLUME_TYPE,
    id: volumeId,
    arn: `arn:${partitionOf(region)}:ec2:${region}:${account}:volume/${volumeId}`,
    account,
    region,
  };
}
