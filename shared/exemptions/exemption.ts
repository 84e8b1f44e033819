import type { Suppression } from "../findings/model";

/** Why a violation is not acted on. */
export interface Exemption extends Suppression {
  /** Which exemption matched, for the log and the alert. */
  matched: string;
}

/** `YYYY-MM-DD` that names a real day (`Date` would roll `2025-02-30` over to March 2). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An exemption with an `until` date in the past no longer counts. `until` is an ISO date or date-time;
 * dates without a time mean end of that day (UTC).
 */
export function isExpired(until: string | undefined, now: Date): boolean {
  if (!until) return false;
  // An unreadable (or ambiguous, non-ISO such as `06/02/2025`) date must not grant an exemption at all.
  const day = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(until);
  if (!day || !isCalendarDate(Number(day[1]), Number(day[2]), Number(day[3]))) return true;
  const end = /^\d{4}-\d{2}-\d{2}$/.test(until) ? new Date(`${until}T23:59:59.999Z`) : new Date(until);
  return Number.isNaN(end.getTime()) || end.getTime() < now.getTime();
}
