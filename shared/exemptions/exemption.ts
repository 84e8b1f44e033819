import type { Suppression } from "../findings/model";

/** Why a violation is not acted on. */
export interface Exemption extends Suppression {
  /** Which exemption matched, for the log and the alert. */
  matched: string;
}

/** An exemption with an `until` date in the past no longer counts. Dates without a time mean end of that day (UTC). */
export function isExpired(until: string | undefined, now: Date): boolean {
  if (!until) return false;
  const end = /^\d{4}-\d{2}-\d{2}$/.test(until) ? new Date(`${until}T23:59:59.999Z`) : new Date(until);
  // An unreadable date must not grant an exemption forever.
  return Number.isNaN(end.getTime()) || end.getTime() < now.getTime();
}
