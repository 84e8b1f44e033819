import type { VpcFlowLogsState } from "../../resources/vpc-flow-logs/state";
import { defineCheck, type Violation } from "../define";
import { flowLogReadActions, flowLogTriggers } from "./triggers";

function deletionViolation(state: VpcFlowLogsState): Violation | undefined {
  const { deleted, vpcId, remaining } = state;
  if (!deleted) return undefined;
  const evidence = {
    deletedFlowLogId: deleted.flowLogId,
    ...(deleted.resourceId ? { loggedResource: deleted.resourceId } : {}),
    ...(deleted.trafficType ? { trafficType: deleted.trafficType } : {}),
    ...(deleted.logDestinationType ? { logDestinationType: deleted.logDestinationType } : {}),
    ...(state.alsoDeleted?.length ? { alsoDeleted: state.alsoDeleted } : {}),
  };
  if (!vpcId || !remaining) {
    // The VPC may have been left blind: HIGH until someone looks.
    return {
      summary: `flow log ${deleted.flowLogId} was deleted; whether its VPC is still logged is unknown: ${state.unknown ?? "not read"}`,
      evidence: { ...evidence, remainingFlowLogs: "unknown" },
    };
  }
  if (!remaining.length) {
    return {
      summary: `flow log ${deleted.flowLogId} was deleted and ${vpcId} has no flow log left: its traffic is no longer recorded`,
      evidence: { ...evidence, vpcId, remainingFlowLogs: [] },
      severity: "CRITICAL",
    };
  }
  const ids = remaining.map((r) => r.flowLogId ?? "new flow log");
  return {
    summary: `flow log ${deleted.flowLogId} of ${vpcId} was deleted; ${vpcId} is still logged by ${ids.join(", ")}`,
    evidence: { ...evidence, vpcId, remainingFlowLogs: remaining },
    severity: "MEDIUM",
  };
}

/**
 * Deleting flow logs is how an intruder hides network activity. Only an alert: re-creating the
 * log would mean choosing its destination, format and delivery role for the owner, and a wrong
 * guess sends traffic records somewhere unintended; the finding says what was deleted and by whom.
 */
export default defineCheck({
  id: "VIGIL.VPC.FLOW_LOG_DELETED",
  title: "VPC flow logs should not be deleted",
  severity: "HIGH",
  resourceType: "AWS::EC2::VPC",
  controls: [],
  description:
    "Someone deleted a VPC flow log (DeleteFlowLogs): CRITICAL when the VPC has none left, MEDIUM when others still log it, HIGH when Vigil can't tell. Vigil doesn't re-create it (the destination and delivery role are yours to choose): confirm it was intended, re-create it otherwise and look into the actor.",
  tampering: true,
  triggers: flowLogTriggers,
  iamActions: flowLogReadActions,
  // A sweep sees the VPC without the deletion: still unlogged means the deletion stands (EC2.6 also
  // reports it), so the deletion finding stays open; a flow log added since does resolve it.
  undecided: (state) =>
    !state.deleted && state.remaining?.length === 0
      ? "the VPC still has no flow log: the deletion stands"
      : undefined,
  evaluate: (state) => {
    const violation = deletionViolation(state);
    return violation ? [violation] : [];
  },
});
