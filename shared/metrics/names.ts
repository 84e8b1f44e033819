/**
 * Vigil's own metrics: one namespace, the `service` dimension Powertools adds, and `EventType` on the
 * per-source metrics. Shared by the handlers (shared/metrics/event-metrics.ts) and the dashboard and
 * alarms (infra/dashboard.ts), so a renamed metric can't leave a graph or an alarm watching nothing.
 * Dimensions stay low-cardinality: never a resource, account or finding id.
 */
export const METRICS_NAMESPACE = "Vigil";
export const METRICS_SERVICE = "vigil";
export const SERVICE_DIMENSION = "service";
export const EVENT_TYPE_DIMENSION = "EventType";

/** Where an invocation's input came from; the value of the `EventType` dimension. */
export const EVENT_TYPES = ["cloudtrail", "config", "service", "eks-audit", "sweep"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Per EventType (dimensions `service`, `EventType`). */
export const EVENTS_RECEIVED = "EventsReceived";
/** Milliseconds from the change (CloudTrail eventTime, else the event's time) to Vigil's decision. */
export const PROCESSING_LATENCY = "ProcessingLatency";

/** Whole-service counts (dimension `service` only): what the event changed in the findings. */
export const FINDINGS_OPENED = "FindingsOpened";
export const FINDINGS_REMEDIATED = "FindingsRemediated";
export const FINDINGS_RESOLVED = "FindingsResolved";
export const FINDINGS_SUPPRESSED = "FindingsSuppressed";
/** Remediation actions that failed (recorded `failed`, or a transient failure that fails the event for a retry). */
export const REMEDIATION_FAILURES = "RemediationFailures";
/** Malformed events Vigil rejected (outcome `invalid`: logged, never retried). */
export const EVENTS_REJECTED = "EventsRejected";
/** Invocations that threw: Lambda retries them, then dead-letters them. */
export const PROCESSING_ERRORS = "ProcessingErrors";
