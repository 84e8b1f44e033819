import type { ResourceRef } from "../../core/resource";

export const DETECTOR_TYPE = "AWS::GuardDuty::Detector";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function detectorArn(detectorId: string, account: string, region: string): string {
  return `arn:${partitionOf(region)}:guardduty:${region}:${account}:detector/${detectorId}`;
}

/** The finding's resource id is the detector id; account and region are in the finding id already. */
export function detectorRef(detectorId: string, account: string, region: string): ResourceRef {
  return {
    type: DETECTOR_TYPE,
    id: detectorId,
    arn: detectorArn(detectorId, account, region),
    account,
    region,
  };
}
