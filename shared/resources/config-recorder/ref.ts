import type { ResourceRef } from "../../core/resource";

export const RECORDER_TYPE = "AWS::Config::ConfigurationRecorder";
export const DELIVERY_CHANNEL_TYPE = "AWS::Config::DeliveryChannel";

/** What AWS Config names a recorder or channel the request left unnamed (documented default). */
export const DEFAULT_NAME = "default";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The finding's resource id is the recorder's name (one customer managed recorder per account and
 * Region; both are in the finding id already). The real ARN ends in the recorder's id
 * (`configuration-recorder/<name>/<id>`), which CloudTrail's request does not carry: this one stops at the name.
 */
export function recorderRef(name: string, account: string, region: string): ResourceRef {
  return {
    type: RECORDER_TYPE,
    id: name,
    arn: `arn:${partitionOf(region)}:config:${region}:${account}:configuration-recorder/${name}`,
    account,
    region,
    name,
  };
}

/** Delivery channels have no ARN; the one here only names the channel in ARN form. */
export function deliveryChannelRef(name: string, account: string, region: string): ResourceRef {
  return {
    type: DELIVERY_CHANNEL_TYPE,
    id: name,
    arn: `arn:${partitionOf(region)}:config:${region}:${account}:delivery-channel/${name}`,
    account,
    region,
    name,
  };
}
