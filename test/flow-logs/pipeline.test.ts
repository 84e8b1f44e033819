import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import { DescribeFlowLogsCommand, DescribeTagsCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { DELETED, DELETED_CHECK, VPC, awsError, flowLogHistory, idFor, vpcEvent } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status, f.severity] as const).sort();
const ACTOR = "arn:aws:iam::111122223333:user/alice.ops";

function vpcLoggedBy(t: TestRuntime, ...ids: string[]) {
  t.ec2.on(DescribeFlowLogsCommand).resolves({
    FlowLogs: ids.map((id) => ({
      FlowLogId: id,
      ResourceId: VPC,
      FlowLogStatus: "ACTIVE",
      TrafficType: "ALL",
    })),
  });
}

describe("VPC flow logs through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("DeleteFlowLogs leaving the VPC without a flow log: CRITICAL alert with the actor, EC2.6 OPEN, on the VPC", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).resolves(flowLogHistory(DELETED, VPC));
    // Just after the call the deleted log may still be listed: it doesn't count.
    vpcLoggedBy(t, DELETED);
    t.ec2.on(DescribeTagsCommand).resolves({ Tags: [{ Key: "team", Value: "net", ResourceId: VPC }] });

    const report = await processEvent(vpcEvent("DeleteFlowLogs"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(t.configService.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input)).toEqual(
      [{ resourceType: "AWS::EC2::FlowLog", resourceId: DELETED, limit: 10 }],
    );
    expect(t.ec2.commandCalls(DescribeFlowLogsCommand).map((c) => c.args[0].input)).toEqual([
      { Filter: [{ Name: "resource-id", Values: [VPC] }], MaxResults: 1000 },
    ]);
    expect(t.ec2.commandCalls(DescribeTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [{ Name: "resource-id", Values: [VPC] }] },
    ]);
    expect(await statuses(t)).toEqual([
      ["EC2.6", VPC, "OPEN", "MEDIUM"],
      [DELETED_CHECK, VPC, "OPEN", "CRITICAL"],
    ]);
    expect(await t.runtime.store.get(idFor(DELETED_CHECK))).toMatchObject({
      actor: { arn: ACTOR, sourceIp: "198.51.100.23" },
      resource: { type: "AWS::EC2::VPC", id: VPC, arn: `arn:aws:ec2:us-east-1:111122223333:vpc/${VPC}` },
      evidence: [
        {
          deletedFlowLogId: DELETED,
          loggedResource: VPC,
          trafficType: "ALL",
          logDestinationType: "cloud-watch-logs",
          vpcId: VPC,
          remainingFlowLogs: [],
        },
      ],
    });
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]).toMatchObject({
      tampering: true,
      severity: "CRITICAL",
      actor: { arn: ACTOR },
    });
  });

  it("CreateFlowLogs for that VPC resolves both findings, with no read at all", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).resolves(flowLogHistory(DELETED, VPC));
    vpcLoggedBy(t);
    t.ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    await processEvent(vpcEvent("DeleteFlowLogs"), t.runtime);
    t.ec2.resetHistory();
    t.configService.resetHistory();

    const report = await processEvent(vpcEvent("CreateFlowLogs"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([
      ["EC2.6", VPC, "RESOLVED", "MEDIUM"],
      // A resolved finding takes the check's own severity back (the pipeline's rule).
      [DELETED_CHECK, VPC, "RESOLVED", "HIGH"],
    ]);
    expect(t.ec2.calls()).toHaveLength(0);
    expect(t.configService.calls()).toHaveLength(0);
  });

  it("DeleteFlowLogs when another flow log still logs the VPC: MEDIUM alert only, EC2.6 stays compliant", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).resolves(flowLogHistory(DELETED, VPC));
    vpcLoggedBy(t, DELETED, "fl-0keep000000000001");
    t.ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    await processEvent(vpcEvent("DeleteFlowLogs"), t.runtime);
    expect(await statuses(t)).toEqual([[DELETED_CHECK, VPC, "OPEN", "MEDIUM"]]);
    expect((await t.runtime.store.get(idFor(DELETED_CHECK)))?.summary).toBe(
      `flow log ${DELETED} of ${VPC} was deleted; ${VPC} is still logged by fl-0keep000000000001`,
    );
  });

  it("the VPC can't be known (Config doesn't record flow logs): HIGH alert on the flow log, saying why", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).rejects(awsError("ResourceNotDiscoveredException"));
    t.ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    await processEvent(vpcEvent("DeleteFlowLogs"), t.runtime);
    expect(t.ec2.commandCalls(DescribeFlowLogsCommand)).toHaveLength(0);
    expect(await statuses(t)).toEqual([[DELETED_CHECK, DELETED, "OPEN", "HIGH"]]);
    expect(await t.runtime.store.get(idFor(DELETED_CHECK, DELETED))).toMatchObject({
      summary: `flow log ${DELETED} was deleted; whether its VPC is still logged is unknown: AWS Config has no record of ${DELETED} (does the recorder record AWS::EC2::FlowLog?)`,
      resource: { arn: `arn:aws:ec2:us-east-1:111122223333:vpc-flow-log/${DELETED}` },
    });
  });

  it("a subnet's flow log: HIGH alert on the flow log naming the subnet; EC2.6 is not judged", async () => {
    t = await testRuntime();
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .resolves(flowLogHistory(DELETED, "subnet-0f8b0d2e4a6c13579"));
    t.ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    await processEvent(vpcEvent("DeleteFlowLogs"), t.runtime);
    expect(await statuses(t)).toEqual([[DELETED_CHECK, DELETED, "OPEN", "HIGH"]]);
    expect((await t.runtime.store.get(idFor(DELETED_CHECK, DELETED)))?.summary).toContain(
      `${DELETED} logged subnet-0f8b0d2e4a6c13579, not a whole VPC`,
    );
  });

  it("several ids in one call, one of them not deleted: the two deleted are judged, each naming the other", async () => {
    t = await testRuntime();
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .callsFake((input: { resourceId: string }) => flowLogHistory(input.resourceId, VPC));
    vpcLoggedBy(t, DELETED, "fl-0c5e7a9b2d4f68037");
    t.ec2.on(DescribeTagsCommand).resolves({ Tags: [] });
    await processEvent(vpcEvent("DeleteFlowLogs-several"), t.runtime);
    expect(
      t.configService.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input.resourceId),
    ).toEqual([DELETED, "fl-0c5e7a9b2d4f68037"]);
    expect(await statuses(t)).toEqual([
      ["EC2.6", VPC, "OPEN", "MEDIUM"],
      [DELETED_CHECK, VPC, "OPEN", "CRITICAL"],
    ]);
    expect((await t.runtime.store.get(idFor(DELETED_CHECK)))?.evidence[0]).toMatchObject({
      alsoDeleted: ["fl-0c5e7a9b2d4f68037"],
    });
  });

  it("exempt by the VPC's tag: SUPPRESSED, not alerted", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).resolves(flowLogHistory(DELETED, VPC));
    vpcLoggedBy(t);
    t.ec2.on(DescribeTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "*", ResourceId: VPC }] });
    await processEvent(vpcEvent("DeleteFlowLogs"), t.runtime);
    expect((await statuses(t)).map(([id, , status]) => [id, status])).toEqual([
      ["EC2.6", "SUPPRESSED"],
      [DELETED_CHECK, "SUPPRESSED"],
    ]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("a throttled Config read fails the event so it is retried", async () => {
    t = await testRuntime();
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .rejects(awsError("ThrottlingException", { $retryable: {}, $metadata: { httpStatusCode: 400 } }));
    await expect(processEvent(vpcEvent("DeleteFlowLogs"), t.runtime)).rejects.toThrow(/Throttling/);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("without AWS access the deletion is ignored (it must be looked up), not invalid", async () => {
    t = await testRuntime();
    t.runtime.readClients = undefined;
    const report = await processEvent(vpcEvent("DeleteFlowLogs"), t.runtime);
    expect(report.outcome).toBe("ignored");
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("not applicable: CreateFlowLogs for a subnet changes nothing and reads nothing", async () => {
    t = await testRuntime();
    const report = await processEvent(vpcEvent("CreateFlowLogs-subnet"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("bad input: a malformed DeleteFlowLogs is invalid and reads nothing", async () => {
    t = await testRuntime();
    const event = vpcEvent("DeleteFlowLogs");
    event.detail.requestParameters = { DeleteFlowLogsRequest: { FlowLogId: 42 } };
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(t.configService.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
  });
});
