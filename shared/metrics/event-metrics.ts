import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { FindingStatus } from "../findings/model";
import type { VigilLogger } from "../log";
import { IncompleteProcessingError, type EventReport } from "../pipeline/process-event";
import {
  EVENTS_RECEIVED,
  EVENTS_REJECTED,
  EVENT_TYPE_DIMENSION,
  FINDINGS_OPENED,
  FINDINGS_REMEDIATED,
  FINDINGS_RESOLVED,
  FINDINGS_SUPPRESSED,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  PROCESSING_ERRORS,
  PROCESSING_LATENCY,
  REMEDIATION_FAILURES,
  type EventType,
} from "./names";

/**
 * Two EMF documents per invocation, both flushed to stdout by Powertools' `logMetrics` middleware
 * (CloudWatch Logs turns them into metrics: no PutMetricData, no IAM): the per-source metrics with
 * `EventType`, and the whole-service counts without it, so an alarm or a graph reads one series.
 */
export interface VigilMetrics {
  byEventType: Metrics;
  service: Metrics;
}

export function createVigilMetrics(logger?: VigilLogger): VigilMetrics {
  // Powertools' warnings (e.g. an invalid dimension) go to Vigil's logger, not a bare console line.
  const options = {
    namespace: METRICS_NAMESPACE,
    serviceName: METRICS_SERVICE,
    ...(logger ? { logger } : {}),
  };
  return { byEventType: new Metrics(options), service: new Metrics(options) };
}

/** The middy middleware that writes an invocation's metrics when it returns or throws. */
export function publishMetrics(metrics: VigilMetrics) {
  return logMetrics([metrics.byEventType, metrics.service]);
}

export interface FindingCounts {
  opened: number;
  remediated: number;
  resolved: number;
  suppressed: number;
  remediationFailures: number;
}

const COUNTED: Record<FindingStatus, keyof FindingCounts> = {
  OPEN: "opened",
  REMEDIATED: "remediated",
  RESOLVED: "resolved",
  SUPPRESSED: "suppressed",
};

/**
 * What an event did to the findings, from processEvent's report: each finding the event wrote,
 * by the status it wrote (a redelivery or a no-op writes nothing and counts nothing), and each
 * remediation action that failed.
 */
export function findingCounts(report: ReportedOutcome | undefined): FindingCounts {
  const counts: FindingCounts = {
    opened: 0,
    remediated: 0,
    resolved: 0,
    suppressed: 0,
    remediationFailures: 0,
  };
  for (const resource of report?.resources ?? []) {
    for (const finding of resource.findings) if (finding.changed) counts[COUNTED[finding.status]]++;
    counts.remediationFailures += resource.remediation.filter((r) => r.result === "failed").length;
  }
  return counts;
}

/** A thrown event's failed remediations: the transient ones processEvent fails the event for, so Lambda retries. */
function failedRemediations(error: unknown): number {
  if (!(error instanceof IncompleteProcessingError)) return 0;
  return error.failures.filter((failure) => failure.startsWith("remediate ")).length;
}

/**
 * What the metrics read of a report: processEvent's EventReport, or any report of the same shape
 * (the EKS audit handler's AuditBatchReport, which counts one batch as one event received).
 */
export type ReportedOutcome = Pick<EventReport, "outcome" | "resources">;

export interface EventOutcome {
  eventType: EventType;
  /** processEvent's report; undefined when it threw (`error`). */
  report?: ReportedOutcome;
  error?: unknown;
  /** When the change happened (eventTimeOf); no latency without it. */
  eventTime?: string;
  /** When Vigil had decided (processEvent returned). */
  decidedAt: Date;
}

/** Records one invocation's metrics; the middleware publishes them when the handler returns or throws. */
export function recordEventMetrics(metrics: VigilMetrics, outcome: EventOutcome): void {
  const { byEventType, service } = metrics;
  byEventType.addDimension(EVENT_TYPE_DIMENSION, outcome.eventType);
  byEventType.addMetric(EVENTS_RECEIVED, MetricUnit.Count, 1);
  const changed = Date.parse(outcome.eventTime ?? "");
  // Only events acted on: an ignored or rejected event has no exposure window to measure.
  if (outcome.report?.outcome === "processed" && Number.isFinite(changed))
    // Clock skew may put a CloudTrail eventTime a little after our clock: that is no negative latency.
    byEventType.addMetric(
      PROCESSING_LATENCY,
      MetricUnit.Milliseconds,
      Math.max(0, outcome.decidedAt.getTime() - changed),
    );

  const counts = findingCounts(outcome.report);
  service.addMetric(FINDINGS_OPENED, MetricUnit.Count, counts.opened);
  service.addMetric(FINDINGS_REMEDIATED, MetricUnit.Count, counts.remediated);
  service.addMetric(FINDINGS_RESOLVED, MetricUnit.Count, counts.resolved);
  service.addMetric(FINDINGS_SUPPRESSED, MetricUnit.Count, counts.suppressed);
  service.addMetric(
    REMEDIATION_FAILURES,
    MetricUnit.Count,
    counts.remediationFailures + failedRemediations(outcome.error),
  );
  service.addMetric(EVENTS_REJECTED, MetricUnit.Count, outcome.report?.outcome === "invalid" ? 1 : 0);
  service.addMetric(PROCESSING_ERRORS, MetricUnit.Count, outcome.error === undefined ? 0 : 1);
}
