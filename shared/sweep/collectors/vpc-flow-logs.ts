import type { FlowLog } from "@aws-sdk/client-ec2";
import { loadEc2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { tagsOf } from "../../resources/security-group/from-ec2-api";
import { VPC_TYPE, vpcRef } from "../../resources/vpc-flow-logs/ref";
import type { FlowLogSummary } from "../../resources/vpc-flow-logs/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeVpcs and DescribeFlowLogs take up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/** The Region's ACTIVE flow logs of whole VPCs (not subnets' or interfaces'), by VPC id. */
function byVpc(logs: readonly FlowLog[]): Map<string, FlowLogSummary[]> {
  const found = new Map<string, FlowLogSummary[]>();
  for (const log of logs) {
    const vpcId = log.ResourceId;
    if (!vpcId?.startsWith("vpc-") || (log.FlowLogStatus && log.FlowLogStatus !== "ACTIVE")) continue;
    const summary = {
      ...(log.FlowLogId ? { flowLogId: log.FlowLogId } : {}),
      ...(log.TrafficType ? { trafficType: log.TrafficType } : {}),
    };
    found.set(vpcId, [...(found.get(vpcId) ?? []), summary]);
  }
  return found;
}

/**
 * Every VPC of the Region with its active flow logs: `remaining: []` is a VPC with no flow log at
 * all, which EC2.6 reports (a VPC that never had one is only found this way). The VPCs are listed
 * before the flow logs, so a VPC created meanwhile is left to the next sweep rather than reported
 * without the log that may come with it; a log deleted meanwhile is missed until then.
 */
export function vpcFlowLogsCollector(pageSize = PAGE_SIZE): Collector<"AWS::EC2::VPC"> {
  return defineCollector({
    resourceType: VPC_TYPE,
    scope: "regional",
    iamActions: ["ec2:DescribeVpcs", "ec2:DescribeFlowLogs"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EC2::VPC">> {
      const [ec2, { paginateDescribeVpcs, paginateDescribeFlowLogs }] = await Promise.all([
        ctx.clients.ec2(),
        loadEc2(),
      ]);
      const vpcs = [];
      for await (const page of paginateDescribeVpcs({ client: ec2 }, { MaxResults: pageSize }))
        vpcs.push(...(page.Vpcs ?? []));
      const logs: FlowLog[] = [];
      for await (const page of paginateDescribeFlowLogs({ client: ec2 }, { MaxResults: pageSize }))
        logs.push(...(page.FlowLogs ?? []));
      const logged = byVpc(logs);
      const observedAt = ctx.now.toISOString();
      for (const vpc of vpcs) {
        if (!vpc.VpcId) continue;
        yield {
          resource: vpcRef(vpc.VpcId, ctx.account, ctx.region),
          state: { vpcId: vpc.VpcId, remaining: logged.get(vpc.VpcId) ?? [], tags: tagsOf(vpc.Tags) },
          complete: true,
          observedAt,
          tagsKnown: true,
        };
      }
    },
  });
}

export default vpcFlowLogsCollector();
