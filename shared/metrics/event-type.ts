import { DETAIL_TYPES } from "../events/envelope";
import type { EventType } from "./names";

const CLOUDTRAIL_DETAIL_TYPES: ReadonlySet<string> = new Set([
  DETAIL_TYPES.cloudTrail,
  DETAIL_TYPES.cloudTrailServiceEvent,
  DETAIL_TYPES.cloudTrailConsoleSignIn,
]);

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * The `EventType` of an EventBridge event, by its detail-type: read leniently, because metrics are
 * recorded for malformed events too (processEvent rejects those; the count still says where they came from).
 */
export function eventTypeOf(raw: unknown): EventType {
  const detailType = isObject(raw) ? text(raw["detail-type"]) : undefined;
  if (detailType && CLOUDTRAIL_DETAIL_TYPES.has(detailType)) return "cloudtrail";
  if (detailType === DETAIL_TYPES.configChange) return "config";
  return "service";
}

/**
 * When the change happened, as processEvent dates it (EventContext.eventTime): CloudTrail's
 * `detail.eventTime`, else the envelope's `time`. Undefined when the event has neither.
 */
export function eventTimeOf(raw: unknown): string | undefined {
  if (!isObject(raw)) return undefined;
  const detail = raw.detail;
  if (eventTypeOf(raw) === "cloudtrail" && isObject(detail) && text(detail.eventTime))
    return text(detail.eventTime);
  return text(raw.time);
}
