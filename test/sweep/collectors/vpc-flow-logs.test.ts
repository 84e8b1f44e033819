import { ConfigServiceClient, GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  CreateFlowLogsCommand,
  CreateVpcCommand,
  DeleteFlowLogsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../../shared/events/cloudtrail";
import type { ReadClients } from "../../../shared/resources/adapter";
import adapter from "../../../shared/resources/vpc-flow-logs/adapter";
import collector, { vpcFlowLogsCollector } from "../../../shared/sweep/collectors/vpc-flow-logs";
import { ec2Vpcs } from "../../support/local-aws/ec2-vpcs";
import { loadEvent } from "../../support/events";
import { flowLogHistory } from "../../flow-logs/support";
import { ACCOUNT, collectAll, startEc2Endpoint, verdicts, type Ec2Endpoint } from "./ec2-collect-context";

const SAMPLE_VPC = "vpc-0a6c8e0b2d4f13579";

/** A sample CloudTrail event with its ids replaced by the seeded ones. */
function detailAs(name: string, ids: Record<string, string>) {
  let text = JSON.stringify(loadEvent(`vpc/${name}.json`).detail);
  for (const [from, to] of Object.entries(ids)) text = text.replaceAll(from, to);
  return cloudTrailDetailSchema.parse(JSON.parse(text));
}

const ec2_6 = (v: ReturnType<typeof verdicts>) => v.find((r) => r.checkId === "EC2.6");

describe("VPC flow-log collector against the local EC2 endpoint", () => {
  let env: Ec2Endpoint;
  beforeAll(async () => {
    env = await startEc2Endpoint();
  });
  afterAll(async () => env?.close());

  async function newVpc(name?: string): Promise<string> {
    const out = await env.ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.0.0.0/16",
        ...(name
          ? { TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: name }] }] }
          : {}),
      }),
    );
    return out.Vpc?.VpcId ?? "";
  }

  async function flowLog(resourceId: string, resourceType: "VPC" | "Subnet" = "VPC"): Promise<string> {
    const out = await env.ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [resourceId],
        ResourceType: resourceType,
        TrafficType: "ALL",
        LogDestinationType: "s3",
        LogDestination: "arn:aws:s3:::acme-vpc-flow-logs",
      }),
    );
    expect(out.Unsuccessful ?? []).toEqual([]);
    return out.FlowLogIds?.[0] ?? "";
  }

  it("declares what it reads", () => {
    expect(collector).toMatchObject({
      resourceType: "AWS::EC2::VPC",
      scope: "regional",
      iamActions: ["ec2:DescribeVpcs", "ec2:DescribeFlowLogs"],
    });
  });

  it("lists every VPC exactly once with its own active flow logs, both lists across pages", async () => {
    const vpcs = await Promise.all(Array.from({ length: 30 }, () => newVpc()));
    const logs = await Promise.all(vpcs.map((vpcId) => flowLog(vpcId)));
    // Neither a subnet's flow log nor an inactive one logs the VPC.
    const [bare = "", inactive = ""] = vpcs.slice(-2);
    await env.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: logs.slice(-2) }));
    await flowLog("subnet-0a7c9e1b3d5f24681", "Subnet");
    const stale = await flowLog(inactive);
    ec2Vpcs(env.aws.ec2State).flowLogs.get(stale)!.flowLogStatus = "DELETING";
    const all = (await env.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
    const before = {
      vpcs: env.aws.calls("ec2", "DescribeVpcs").length,
      logs: env.aws.calls("ec2", "DescribeFlowLogs").length,
    };

    const found = await collectAll(vpcFlowLogsCollector(10), env.context);

    const ids = found.map((o) => o.resource.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(all.map((v) => v.VpcId).sort());
    expect(
      env.aws
        .calls("ec2", "DescribeVpcs")
        .slice(before.vpcs)
        .map((c) => c.params.MaxResults),
    ).toEqual(Array(Math.ceil(all.length / 10)).fill("10"));
    expect(
      env.aws
        .calls("ec2", "DescribeFlowLogs")
        .slice(before.logs)
        .map((c) => c.params.MaxResults),
    ).toEqual(Array(Math.ceil(ec2Vpcs(env.aws.ec2State).flowLogs.size / 10)).fill("10"));
    vpcs
      .slice(0, -2)
      .forEach((vpcId, i) =>
        expect(found.find((o) => o.resource.id === vpcId)?.state?.remaining).toEqual([
          { flowLogId: logs[i], trafficType: "ALL" },
        ]),
      );
    for (const vpcId of [bare, inactive]) {
      const o = found.find((f) => f.resource.id === vpcId);
      expect(o).toMatchObject({ complete: true, tagsKnown: true, state: { vpcId, remaining: [] } });
      expect(ec2_6(verdicts(o!, env.context))?.violations).toEqual([
        { summary: `${vpcId} has no flow log`, evidence: { vpcId, flowLogs: 0 } },
      ]);
    }

    const mark = env.aws.calls("ec2", "DescribeVpcs").length;
    await collectAll(collector, env.context);
    expect(
      env.aws
        .calls("ec2", "DescribeVpcs")
        .slice(mark)
        .map((c) => c.params.MaxResults),
    ).toEqual(["1000"]);
  });

  it("parity: a VPC with a flow log passes, as the CreateFlowLogs event path says (and resolves)", async () => {
    const vpcId = await newVpc("prod");
    const flowLogId = await flowLog(vpcId);
    const [fromEvent] = adapter.fromCloudTrail(
      detailAs("CreateFlowLogs", { [SAMPLE_VPC]: vpcId, "fl-0e7a9c1d3f5b68024": flowLogId }),
      ACCOUNT,
    );
    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === vpcId);

    expect(collected?.resource).toEqual(fromEvent!.resource);
    expect(collected?.state).toEqual({ ...fromEvent!.state, tags: { Name: "prod" } });
    expect(collected).toMatchObject({ complete: true });
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromEvent!, env.context));
    expect(sweep.every((v) => v.violations.length === 0 && !v.undecided)).toBe(true);
  });

  it("parity: a VPC with no flow log fails EC2.6 as the DeleteFlowLogs path (refreshed) does", async () => {
    const vpcId = await newVpc();
    const flowLogId = await flowLog(vpcId);
    await env.ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [flowLogId] }));
    const configClient = new ConfigServiceClient({ region: "us-east-1" });
    mockClient(configClient).on(GetResourceConfigHistoryCommand).resolves(flowLogHistory(flowLogId, vpcId));
    const clients = { ec2: () => env.ec2, configService: () => configClient } as unknown as ReadClients;
    const [pointer] = adapter.fromCloudTrail(
      detailAs("DeleteFlowLogs", { "fl-0b4d6f8a1c3e57926": flowLogId }),
      ACCOUNT,
    );
    const fromEvent = await adapter.refresh!(pointer!, clients);

    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === vpcId);

    expect(collected?.resource).toEqual(fromEvent.resource);
    expect(collected?.state).toMatchObject({
      vpcId: fromEvent.state?.vpcId,
      remaining: fromEvent.state?.remaining,
    });
    expect(fromEvent.state?.remaining).toEqual([]);
    const [fromSweep, afterDeletion] = [
      ec2_6(verdicts(collected!, env.context)),
      ec2_6(verdicts(fromEvent, env.context)),
    ];
    expect(fromSweep?.violations.map((v) => v.evidence)).toEqual(
      afterDeletion?.violations.map(({ evidence: { deletedFlowLogId: _deleted, ...rest } }) => rest),
    );
    expect(fromSweep?.violations).toHaveLength(1);
  });
});
