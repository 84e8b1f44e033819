import type { EventContext } from "../pipeline/event-context";
import {
  IncompleteProcessingError,
  processObservations,
  type ResourceReport,
} from "../pipeline/process-event";
import type { VigilRuntime } from "../pipeline/runtime";
import { UnusableEventError } from "../resources/adapter";
import { actorFromAudit } from "./actor";
import { auditTime, parseAuditMessage } from "./audit-event";
import { classifyAuditEvent } from "./classify";
import { observationsFor } from "./observations";
import type { VigilLogger } from "../log";
import {
  clusterOfLogGroup,
  decodeSubscriptionEvent,
  type DecodedPayload,
  type LogEventsBatch,
} from "./payload";

export interface AuditBatchReport {
  outcome: "processed" | "ignored" | "invalid";
  reason?: string;
  logGroup?: string;
  logStream?: string;
  /** Log events in the batch. */
  events: number;
  /** Audit events that went through the pipeline. */
  judged: number;
  /** Audit events not for Vigil, counted by reason (stage, verb, subresource, no body, ...). */
  skipped: Record<string, number>;
  /** Log events that are not readable audit events, or audit events the pipeline could not use. */
  invalid: number;
  resources: ResourceReport[];
}

function emptyReport(outcome: AuditBatchReport["outcome"], reason?: string): AuditBatchReport {
  return {
    outcome,
    ...(reason ? { reason } : {}),
    events: 0,
    judged: 0,
    skipped: {},
    invalid: 0,
    resources: [],
  };
}

/**
 * One batch of the cluster's audit log, event by event in log order (a namespace before the
 * NetworkPolicy created in it). A log event that can't be read is logged with where to find it in
 * the log group (which still holds it) and the rest go on. Store or alert failures are retryable:
 * the batch is processed to the end, then fails so Lambda retries it (a redelivered audit event
 * changes no finding twice).
 */
export async function processAuditBatch(
  batch: LogEventsBatch,
  rt: VigilRuntime,
  region: string,
): Promise<AuditBatchReport> {
  const where = { logGroup: batch.logGroup, logStream: batch.logStream };
  const cluster = clusterOfLogGroup(batch.logGroup);
  if (!cluster) {
    const reason = `log group ${batch.logGroup} is not an EKS cluster's (/aws/eks/<cluster>/cluster)`;
    rt.logger.error("EKS audit batch rejected", { ...where, reason });
    return { ...emptyReport("invalid", reason), ...where, events: batch.logEvents.length };
  }
  const scope = { cluster, account: batch.owner, region };
  const report: AuditBatchReport = { ...emptyReport("processed"), ...where, events: batch.logEvents.length };
  const failures: string[] = [];
  for (const logEvent of batch.logEvents) {
    const parsed = parseAuditMessage(logEvent.message);
    if ("problem" in parsed) {
      report.invalid++;
      rt.logger.error("EKS audit log event rejected", {
        ...where,
        logEventId: logEvent.id,
        reason: parsed.problem,
      });
      continue;
    }
    const { event } = parsed;
    const intent = classifyAuditEvent(event);
    if (intent.kind === "skipped") {
      report.skipped[intent.reason] = (report.skipped[intent.reason] ?? 0) + 1;
      continue;
    }
    const ctx: EventContext = {
      eventId: event.auditID,
      eventTime: auditTime(event, logEvent.timestamp),
      actor: actorFromAudit(event),
      failures: [],
    };
    try {
      const observations = await observationsFor(intent, event, scope, ctx.eventTime, rt);
      const result = await processObservations(observations, ctx, rt);
      report.judged++;
      if (result.outcome === "invalid") report.invalid++;
      report.resources.push(...result.resources);
    } catch (error) {
      if (error instanceof UnusableEventError) {
        report.invalid++;
        rt.logger.error("EKS audit event rejected", {
          ...where,
          logEventId: logEvent.id,
          auditID: event.auditID,
          reason: error.message,
        });
        continue;
      }
      const message = error instanceof IncompleteProcessingError ? error.failures.join("; ") : String(error);
      failures.push(`audit event ${event.auditID}: ${message}`);
      rt.logger.error("EKS audit event failed; the batch will be retried", {
        ...where,
        auditID: event.auditID,
        error: error as Error,
      });
    }
  }
  if (Object.keys(report.skipped).length)
    rt.logger.debug("EKS audit events skipped", { ...where, skipped: report.skipped });
  if (failures.length) throw new IncompleteProcessingError(failures);
  return report;
}

/**
 * What becomes of a delivery that holds no log events to judge: a payload that can't be decoded is
 * logged and dropped (retrying can't fix it; the log group keeps the events); CloudWatch Logs'
 * health checks (CONTROL_MESSAGE) are ignored.
 */
export function unjudgedPayload(
  decoded: Exclude<DecodedPayload, { kind: "data" }>,
  logger: VigilLogger,
): AuditBatchReport {
  if (decoded.kind === "invalid") {
    logger.error("EKS audit payload rejected", { reason: decoded.reason });
    return emptyReport("invalid", decoded.reason);
  }
  logger.debug("CloudWatch Logs control message ignored");
  return emptyReport("ignored", "CloudWatch Logs control message");
}

/** A CloudWatch Logs subscription delivery, start to end (the handler's path, for tests and tools). */
export async function processEksAuditPayload(
  raw: unknown,
  rt: VigilRuntime,
  region: string,
): Promise<AuditBatchReport> {
  const decoded = decodeSubscriptionEvent(raw);
  if (decoded.kind !== "data") return unjudgedPayload(decoded, rt.logger);
  return processAuditBatch(decoded.batch, rt, region);
}
