import { describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { UnusableEventError } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/vpc-flow-logs/adapter";
import { ACCOUNT, DELETED, VPC, detailOf, vpcEvent } from "./support";

describe("VPC flow-log adapter: CloudTrail", () => {
  it("DeleteFlowLogs: one observation on the flow log, waiting for the refresh to find its VPC", () => {
    expect(adapter.fromCloudTrail(detailOf("DeleteFlowLogs"), ACCOUNT)).toEqual([
      {
        resource: {
          type: "AWS::EC2::VPC",
          id: DELETED,
          arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/${DELETED}`,
          account: ACCOUNT,
          region: "us-east-1",
          name: `flow log ${DELETED} (VPC unknown)`,
        },
        state: { deleted: { flowLogId: DELETED } },
        complete: false,
        observedAt: "2025-03-14T17:45:12Z",
        tagsKnown: false,
        needsRefresh: true,
      },
    ]);
  });

  it("DeleteFlowLogs of several ids: one observation per deleted log; the one AWS couldn't delete is left out", () => {
    const observations = adapter.fromCloudTrail(detailOf("DeleteFlowLogs-several"), ACCOUNT);
    expect(observations.map((o) => [o.resource.id, o.state?.alsoDeleted])).toEqual([
      [DELETED, ["fl-0c5e7a9b2d4f68037"]],
      ["fl-0c5e7a9b2d4f68037", [DELETED]],
    ]);
  });

  it("CreateFlowLogs for a VPC: the VPC is logged again (complete), with the new id", () => {
    expect(adapter.fromCloudTrail(detailOf("CreateFlowLogs"), ACCOUNT)).toEqual([
      {
        resource: {
          type: "AWS::EC2::VPC",
          id: VPC,
          arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${VPC}`,
          account: ACCOUNT,
          region: "us-east-1",
        },
        state: { vpcId: VPC, remaining: [{ flowLogId: "fl-0e7a9c1d3f5b68024", trafficType: "ALL" }] },
        complete: true,
        observedAt: "2025-03-14T18:03:27Z",
        tagsKnown: false,
      },
    ]);
  });

  it("CreateFlowLogs for several VPCs: each is logged; ids aren't assigned when the answer can't say whose", () => {
    const event = vpcEvent("CreateFlowLogs");
    const request = (event.detail.requestParameters as { CreateFlowLogsRequest: Record<string, unknown> })
      .CreateFlowLogsRequest;
    request.ResourceId = [
      { content: VPC, tag: 1 },
      { content: "vpc-0b7d9f1a3c5e24680", tag: 2 },
      { content: "vpc-0c8e0a2b4d6f35791", tag: 3 },
    ];
    const response = (event.detail.responseElements as { CreateFlowLogsResponse: Record<string, unknown> })
      .CreateFlowLogsResponse;
    response.flowLogIdSet = { item: ["fl-1", "fl-2"] };
    response.unsuccessful = {
      item: {
        error: { code: "Client.AccessDenied", message: "denied" },
        resourceId: "vpc-0c8e0a2b4d6f35791",
      },
    };
    const observations = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
    expect(observations.map((o) => [o.resource.id, o.state?.remaining])).toEqual([
      [VPC, [{ trafficType: "ALL" }]],
      ["vpc-0b7d9f1a3c5e24680", [{ trafficType: "ALL" }]],
    ]);
  });

  it("not applicable: a subnet's flow log says nothing about the VPC's own logging", () => {
    expect(adapter.fromCloudTrail(detailOf("CreateFlowLogs-subnet"), ACCOUNT)).toEqual([]);
  });

  it("bad input: a DeleteFlowLogs without its request wrapper is unusable", () => {
    const event = vpcEvent("DeleteFlowLogs");
    event.detail.requestParameters = { flowLogIds: [DELETED] };
    expect(() => adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT)).toThrow(
      UnusableEventError,
    );
  });

  it("Config items are not read for VPCs", () => {
    expect(() =>
      adapter.fromConfigItem({
        configurationItemStatus: "OK",
        resourceType: "AWS::EC2::VPC",
        resourceId: VPC,
        awsRegion: "us-east-1",
        awsAccountId: ACCOUNT,
        configurationItemCaptureTime: "2025-03-14T18:03:27Z",
      }),
    ).toThrow(UnusableEventError);
  });
});
