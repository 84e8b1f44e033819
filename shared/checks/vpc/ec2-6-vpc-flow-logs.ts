import { defineCheck } from "../define";
import { flowLogReadActions, flowLogTriggers } from "./triggers";

/**
 * Judged when a flow-log call shows a VPC's logging (after a deletion, its remaining flow logs read
 * live; a creation) and on every sweep, which lists each VPC with its active flow logs: a VPC that
 * never had one is found that way (Security Hub's periodic check).
 */
export default defineCheck({
  id: "EC2.6",
  title: "VPC flow logging should be enabled in all VPCs",
  severity: "MEDIUM",
  resourceType: "AWS::EC2::VPC",
  controls: ["FSBP EC2.6", "CIS 3.7"],
  description:
    "The VPC has no active flow log, so its network traffic is not recorded for investigations. Create a VPC flow log (at least REJECT traffic) to CloudWatch Logs or S3.",
  triggers: flowLogTriggers,
  iamActions: flowLogReadActions,
  undecided: (state) =>
    state.vpcId === undefined || state.remaining === undefined
      ? (state.unknown ?? "this call does not show the VPC's flow logs")
      : undefined,
  evaluate: (state) =>
    state.remaining?.length === 0 && state.vpcId
      ? [
          {
            summary: `${state.vpcId} has no flow log${state.deleted ? ` since ${state.deleted.flowLogId} was deleted` : ""}`,
            evidence: {
              vpcId: state.vpcId,
              flowLogs: 0,
              ...(state.deleted ? { deletedFlowLogId: state.deleted.flowLogId } : {}),
            },
          },
        ]
      : [],
});
