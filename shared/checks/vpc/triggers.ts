import type { CheckTriggers } from "../define";

/** A deletion opens (or moves) the findings; a creation for the VPC resolves them. */
export const flowLogTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: "ec2.amazonaws.com", eventNames: ["DeleteFlowLogs", "CreateFlowLogs"] }],
  config: [],
};

/**
 * What the VPC adapter reads: AWS Config's history of a deleted flow log (which VPC it logged), the
 * VPC's remaining flow logs, and tags (exemptions).
 */
export const flowLogReadActions = [
  "config:GetResourceConfigHistory",
  "ec2:DescribeFlowLogs",
  "ec2:DescribeTags",
];
