import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadCloudWatchLogs } from "../aws/sdk";
import type { VigilLogger } from "../log";
import { EKS_AUDIT_FILTER_NAME, eksAuditFilterPattern, eksClusterLogGroupName } from "./subscribe-filter";

/**
 * Subscribes the audit log of a cluster that turns audit logging on after the stack was deployed
 * (`CreateCluster` or `UpdateClusterConfig` through CloudTrail), with the filter the stack puts on
 * the clusters listed in `eks.clusters`.
 */

const clusterLoggingSchema = z.looseObject({
  types: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
});

const auditLoggingCallSchema = z.looseObject({
  detail: z.looseObject({
    eventSource: z.literal("eks.amazonaws.com"),
    eventName: z.enum(["CreateCluster", "UpdateClusterConfig"]),
    errorCode: z.string().optional(),
    requestParameters: z
      .looseObject({
        name: z.string().min(1).max(100),
        logging: z.looseObject({ clusterLogging: z.array(clusterLoggingSchema).optional() }).nullish(),
      })
      .nullish(),
  }),
});

export type AuditLoggingCall =
  { kind: "enables-audit"; cluster: string; eventName: string } | { kind: "ignored"; reason: string };

/**
 * Whether the call turned the audit log type on. EventBridge patterns can't tie `types` to
 * `enabled` within one `clusterLogging` entry, so the rule may pass a call that enables `api` and
 * disables `audit`: this is the exact test. A failed call changed nothing.
 */
export function auditLoggingCall(event: unknown): AuditLoggingCall {
  const parsed = auditLoggingCallSchema.safeParse(event);
  if (!parsed.success) return { kind: "ignored", reason: "not a CreateCluster or UpdateClusterConfig call" };
  const { detail } = parsed.data;
  if (detail.errorCode) return { kind: "ignored", reason: `the call failed (${detail.errorCode})` };
  const cluster = detail.requestParameters?.name;
  if (!cluster) return { kind: "ignored", reason: "the call names no cluster" };
  const entries = detail.requestParameters?.logging?.clusterLogging ?? [];
  const audit = entries.filter((entry) => entry.types?.includes("audit"));
  // Same as EKS: a type listed both enabled and disabled is an invalid request; judge by the last.
  if (audit.at(-1)?.enabled !== true)
    return { kind: "ignored", reason: `the call does not enable audit logging on ${cluster}` };
  return { kind: "enables-audit", cluster, eventName: detail.eventName };
}

/** EKS has not created the cluster's log group yet: the invocation fails so Lambda retries it. */
export class LogGroupNotReadyError extends Error {
  readonly retryable = true;
  constructor(readonly logGroupName: string) {
    super(
      `log group ${logGroupName} does not exist yet (EKS creates it shortly after audit logging is turned on); ` +
        "failing so the invocation is retried",
    );
    this.name = "LogGroupNotReadyError";
  }
}

export interface SubscribeDeps {
  logs: () => Promise<CloudWatchLogsClient>;
  /** The function that reads the audit events (functions/eks-audit.ts). */
  destinationArn: string;
  logger: VigilLogger;
}

/**
 * Puts Vigil's subscription filter on the cluster's log group. Idempotent: a filter of the same
 * name is replaced (a cluster the stack already subscribes gets the same filter again).
 */
export async function subscribeAuditLog(cluster: string, deps: SubscribeDeps): Promise<string> {
  const logGroupName = eksClusterLogGroupName(cluster);
  const { PutSubscriptionFilterCommand } = await loadCloudWatchLogs();
  const client = await deps.logs();
  try {
    await client.send(
      new PutSubscriptionFilterCommand({
        logGroupName,
        filterName: EKS_AUDIT_FILTER_NAME,
        filterPattern: eksAuditFilterPattern(),
        destinationArn: deps.destinationArn,
      }),
    );
  } catch (error) {
    if (errorName(error) === "ResourceNotFoundException") throw new LogGroupNotReadyError(logGroupName);
    throw error;
  }
  return logGroupName;
}

export interface WaitOptions {
  /** How long to keep trying within one invocation before failing it (then Lambda retries). */
  waitMs: number;
  intervalMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * `subscribeAuditLog`, trying again while the log group is missing, up to `waitMs`: a new cluster's
 * log group appears only when its control plane is up (minutes), and Lambda's own two retries of a
 * failed asynchronous invocation come within three minutes.
 */
export async function subscribeWhenReady(
  cluster: string,
  deps: SubscribeDeps,
  options: WaitOptions,
): Promise<string> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.waitMs;
  for (;;) {
    try {
      return await subscribeAuditLog(cluster, deps);
    } catch (error) {
      if (!(error instanceof LogGroupNotReadyError) || now() + options.intervalMs > deadline) throw error;
      deps.logger.info("EKS log group not there yet, waiting", {
        cluster,
        logGroupName: error.logGroupName,
        retryInMs: options.intervalMs,
      });
      await sleep(options.intervalMs);
    }
  }
}

export type SubscriptionReport =
  | { outcome: "subscribed"; cluster: string; logGroupName: string; filterName: string; eventName: string }
  | { outcome: "ignored"; reason: string };

/** One CloudTrail event: re-checks that it enables audit logging, then subscribes the log group. */
export async function handleAuditLoggingEvent(
  event: unknown,
  deps: SubscribeDeps,
  options: WaitOptions,
): Promise<SubscriptionReport> {
  const call = auditLoggingCall(event);
  if (call.kind === "ignored") return { outcome: "ignored", reason: call.reason };
  try {
    const logGroupName = await subscribeWhenReady(call.cluster, deps, options);
    return {
      outcome: "subscribed",
      cluster: call.cluster,
      logGroupName,
      filterName: EKS_AUDIT_FILTER_NAME,
      eventName: call.eventName,
    };
  } catch (error) {
    deps.logger.error("could not subscribe the EKS audit log", {
      cluster: call.cluster,
      logGroupName: eksClusterLogGroupName(call.cluster),
      error: errorName(error) || String(error),
      message: error instanceof Error ? error.message : String(error),
      retryable: error instanceof LogGroupNotReadyError,
    });
    throw error;
  }
}
