/** A flow log a `DeleteFlowLogs` call removed, and what Vigil learned about what it covered. */
export interface DeletedFlowLog {
  flowLogId: string;
  /** What it logged (`vpc-…`, `subnet-…`, `eni-…`), from AWS Config's history; undefined when unknown. */
  resourceId?: string;
  /** What it logged (ACCEPT, REJECT, ALL) and where to, from the same history, for the alert. */
  trafficType?: string;
  logDestinationType?: string;
}

/** A flow log that still covers the VPC. */
export interface FlowLogSummary {
  /** Undefined when a CreateFlowLogs call for several VPCs doesn't say which id is whose. */
  flowLogId?: string;
  trafficType?: string;
}

/**
 * A VPC's flow logging, as one CloudTrail call (and the reads it calls for) or a sweep's listing
 * shows it. The resource is the VPC; when a deleted flow log's VPC can't be found, the resource is
 * the flow log itself (id `fl-…`) and `vpcId` is undefined.
 */
export interface VpcFlowLogsState {
  vpcId?: string;
  /** `DeleteFlowLogs`: the deleted flow log this observation is about. */
  deleted?: DeletedFlowLog;
  /** Other flow logs the same call deleted (ids only). */
  alsoDeleted?: string[];
  /** The VPC's active flow logs after the call (or at the sweep); `[]` = none at all; undefined when not known. */
  remaining?: FlowLogSummary[];
  /** Why the VPC or its remaining flow logs are not known. */
  unknown?: string;
  tags?: Record<string, string>;
}
