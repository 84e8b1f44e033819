import { describe, expect, it } from "vitest";
import ec2_6 from "../../shared/checks/vpc/ec2-6-vpc-flow-logs";
import flowLogDeleted from "../../shared/checks/vpc/flow-log-deleted";
import { parseConfig } from "../../shared/config/load";
import type { VpcFlowLogsState } from "../../shared/resources/vpc-flow-logs/state";
import { DELETED, VPC } from "./support";

const context = { config: parseConfig({}) };
const deleted = { flowLogId: DELETED, resourceId: VPC, trafficType: "ALL", logDestinationType: "s3" };

describe("EC2.6 evaluate (pure)", () => {
  it("non-compliant: a VPC with no flow log left", () => {
    const state: VpcFlowLogsState = { vpcId: VPC, deleted, remaining: [] };
    expect(ec2_6.undecided?.(state, context)).toBeUndefined();
    expect(ec2_6.evaluate(state, context)).toEqual([
      {
        summary: `${VPC} has no flow log since ${DELETED} was deleted`,
        evidence: { vpcId: VPC, flowLogs: 0, deletedFlowLogId: DELETED },
      },
    ]);
  });

  it("compliant: a VPC still (or again) logged", () => {
    expect(
      ec2_6.evaluate({ vpcId: VPC, remaining: [{ flowLogId: "fl-1", trafficType: "REJECT" }] }, context),
    ).toEqual([]);
  });

  it("undecided (not applicable) when the VPC or its flow logs are unknown", () => {
    expect(
      ec2_6.undecided?.({ deleted: { flowLogId: DELETED }, unknown: "no Config history" }, context),
    ).toBe("no Config history");
    expect(ec2_6.undecided?.({ vpcId: VPC, deleted }, context)).toMatch(/does not show/);
  });

  it("is FSBP EC2.6 / CIS 3.7, MEDIUM as Security Hub rates it, no remediation", () => {
    expect(ec2_6).toMatchObject({ severity: "MEDIUM", controls: ["FSBP EC2.6", "CIS 3.7"] });
    expect(ec2_6.remediation).toBeUndefined();
  });
});

describe("VIGIL.VPC.FLOW_LOG_DELETED evaluate (pure)", () => {
  it("CRITICAL when the deletion left the VPC without a flow log", () => {
    const [violation] = flowLogDeleted.evaluate({ vpcId: VPC, deleted, remaining: [] }, context);
    expect(violation).toEqual({
      summary: `flow log ${DELETED} was deleted and ${VPC} has no flow log left: its traffic is no longer recorded`,
      evidence: {
        deletedFlowLogId: DELETED,
        loggedResource: VPC,
        trafficType: "ALL",
        logDestinationType: "s3",
        vpcId: VPC,
        remainingFlowLogs: [],
      },
      severity: "CRITICAL",
    });
  });

  it("MEDIUM when other flow logs still log the VPC", () => {
    const [violation] = flowLogDeleted.evaluate(
      { vpcId: VPC, deleted, remaining: [{ flowLogId: "fl-0keep", trafficType: "REJECT" }] },
      context,
    );
    expect(violation?.severity).toBe("MEDIUM");
    expect(violation?.summary).toBe(
      `flow log ${DELETED} of ${VPC} was deleted; ${VPC} is still logged by fl-0keep`,
    );
  });

  it("HIGH (the check's own severity) when Vigil can't tell, saying why", () => {
    const [violation] = flowLogDeleted.evaluate(
      { deleted: { flowLogId: DELETED }, alsoDeleted: ["fl-2"], unknown: "AWS Config has no record of it" },
      context,
    );
    expect(violation?.severity).toBeUndefined();
    expect(flowLogDeleted.severity).toBe("HIGH");
    expect(violation?.summary).toBe(
      `flow log ${DELETED} was deleted; whether its VPC is still logged is unknown: AWS Config has no record of it`,
    );
    expect(violation?.evidence).toEqual({
      deletedFlowLogId: DELETED,
      alsoDeleted: ["fl-2"],
      remainingFlowLogs: "unknown",
    });
  });

  it("compliant: a creation (no deletion) passes, so it resolves the alert", () => {
    expect(flowLogDeleted.evaluate({ vpcId: VPC, remaining: [{ flowLogId: "fl-new" }] }, context)).toEqual(
      [],
    );
  });

  it("a sweep of a VPC still without flow logs leaves the deletion finding open (undecided), one with a log resolves it", () => {
    const unlogged: VpcFlowLogsState = { vpcId: VPC, remaining: [] };
    expect(flowLogDeleted.undecided?.(unlogged, context)).toMatch(/still has no flow log/);
    expect(flowLogDeleted.undecided?.({ vpcId: VPC, remaining: [{ flowLogId: "fl-new" }] }, context)).toBe(
      undefined,
    );
    expect(flowLogDeleted.undecided?.({ vpcId: VPC, remaining: [], deleted }, context)).toBe(undefined);
  });

  it("is a tampering alert with no remediation", () => {
    expect(flowLogDeleted).toMatchObject({ tampering: true, controls: [] });
    expect(flowLogDeleted.remediation).toBeUndefined();
    expect(flowLogDeleted.description).toMatch(/doesn't re-create it/);
  });
});
