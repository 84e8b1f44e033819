import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { z } from "zod";
import { errorName } from "../../aws/errors";
import { loadConfigService, loadEc2 } from "../../aws/sdk";
import { isTransient } from "../../pipeline/remediate";
import type { DeletedFlowLog, FlowLogSummary } from "./state";

/** A Config `AWS::EC2::FlowLog` configuration (camelCase, as DescribeFlowLogs returns it). */
const flowLogConfigSchema = z.looseObject({
  resourceId: z.string().min(1),
  trafficType: z.string().optional(),
  logDestinationType: z.string().optional(),
});

function configurationOf(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a deleted flow log covered, from AWS Config's history of it: the newest item that still has
 * a configuration (the deletion itself is recorded without one). Config records
 * `AWS::EC2::FlowLog` when the recorder takes all supported types or names that one; otherwise, or
 * without permission, the reason comes back instead. Throttling and 5xx are thrown (retry).
 */
export async function deletedFlowLogFromHistory(
  config: ConfigServiceClient,
  flowLogId: string,
): Promise<{ found: DeletedFlowLog } | { unknown: string }> {
  const { GetResourceConfigHistoryCommand } = await loadConfigService();
  let items;
  try {
    const out = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: "AWS::EC2::FlowLog",
        resourceId: flowLogId,
        limit: 10,
      }),
    );
    items = out?.configurationItems ?? [];
  } catch (error) {
    if (isTransient(error)) throw error;
    const name = errorName(error) || "an error";
    return name === "ResourceNotDiscoveredException"
      ? { unknown: `AWS Config has no record of ${flowLogId} (does the recorder record AWS::EC2::FlowLog?)` }
      : { unknown: `AWS Config's history of ${flowLogId} could not be read (${name})` };
  }
  for (const item of items) {
    const parsed = flowLogConfigSchema.safeParse(configurationOf(item.configuration));
    if (!parsed.success) continue;
    const { resourceId, trafficType, logDestinationType } = parsed.data;
    return {
      found: {
        flowLogId,
        resourceId,
        ...(trafficType ? { trafficType } : {}),
        ...(logDestinationType ? { logDestinationType } : {}),
      },
    };
  }
  return { unknown: `AWS Config's history of ${flowLogId} holds no configuration naming what it logged` };
}

/** The VPC's own flow logs (not its subnets' or interfaces'), leaving out the ones just deleted. */
export async function vpcFlowLogs(
  ec2: EC2Client,
  vpcId: string,
  deleted: ReadonlySet<string>,
): Promise<FlowLogSummary[]> {
  const { DescribeFlowLogsCommand } = await loadEc2();
  const logs: FlowLogSummary[] = [];
  let token: string | undefined;
  do {
    const out = await ec2.send(
      new DescribeFlowLogsCommand({
        Filter: [{ Name: "resource-id", Values: [vpcId] }],
        MaxResults: 1000,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const log of out?.FlowLogs ?? []) {
      // Just deleted logs may still be listed for a moment (eventual consistency).
      if (!log.FlowLogId || deleted.has(log.FlowLogId)) continue;
      if (log.FlowLogStatus && log.FlowLogStatus !== "ACTIVE") continue;
      logs.push({ flowLogId: log.FlowLogId, ...(log.TrafficType ? { trafficType: log.TrafficType } : {}) });
    }
    token = out?.NextToken;
  } while (token);
  return logs;
}
