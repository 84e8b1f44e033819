import type { ResourceRef } from "../../core/resource";

/**
 * The VPC is the resource: EC2.6 is a VPC control (Security Hub: `AWS::EC2::VPC`), and keying the
 * finding by VPC lets a later `CreateFlowLogs` for that VPC resolve it, whatever the new log's id.
 */
export const VPC_TYPE = "AWS::EC2::VPC";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function vpcRef(vpcId: string, account: string, region: string): ResourceRef {
  return {
    type: VPC_TYPE,
    id: vpcId,
    arn: `arn:${partitionOf(region)}:ec2:${region}:${account}:vpc/${vpcId}`,
    account,
    region,
  };
}

/** A deleted flow log whose VPC is unknown: the finding stays on the flow log (its ARN says so). */
export function flowLogRef(flowLogId: string, account: string, region: string): ResourceRef {
  return {
    type: VPC_TYPE,
    id: flowLogId,
    arn: `arn:${partitionOf(region)}:ec2:${region}:${account}:vpc-flow-log/${flowLogId}`,
    account,
    region,
    name: `flow log ${flowLogId} (VPC unknown)`,
  };
}
