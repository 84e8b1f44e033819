import type { ConfigurationItem } from "@aws-sdk/client-config-service";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const DELETED = "fl-0b4d6f8a1c3e57926";
export const VPC = "vpc-0a6c8e0b2d4f13579";
export const DELETED_CHECK = "VIGIL.VPC.FLOW_LOG_DELETED";

export const vpcEvent = (name: string) => loadEvent(`vpc/${name}.json`);
export const detailOf = (name: string) => cloudTrailDetailSchema.parse(vpcEvent(name).detail);

export const idFor = (checkId: string, resourceId = VPC) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** AWS Config's history of a flow log, newest first: its deletion (no configuration), then its last state. */
export function flowLogHistory(
  flowLogId: string,
  resourceId: string,
): { configurationItems: ConfigurationItem[] } {
  return {
    configurationItems: [
      {
        configurationItemStatus: "ResourceDeleted",
        resourceType: "AWS::EC2::FlowLog",
        resourceId: flowLogId,
        configurationItemCaptureTime: new Date("2025-03-14T17:45:40Z"),
      },
      {
        configurationItemStatus: "OK",
        resourceType: "AWS::EC2::FlowLog",
        resourceId: flowLogId,
        configurationItemCaptureTime: new Date("2025-02-02T09:10:11Z"),
        configuration: JSON.stringify({
          flowLogId,
          resourceId,
          trafficType: "ALL",
          logDestinationType: "cloud-watch-logs",
          logGroupName: "/vpc/flow-logs",
          flowLogStatus: "ACTIVE",
        }),
      },
    ],
  };
}

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}
