/** Ages in days between ISO instants, for the checks that measure them from the state's `asOf`. */
const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` (ISO instants); NaN when either is unreadable. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** `to` is more than `days` days after `from`. False when either date is unreadable. */
export function moreThanDaysApart(from: string, to: string, days: number): boolean {
  return Date.parse(to) - Date.parse(from) > days * DAY_MS;
}

export const dateOnly = (iso: string) => iso.slice(0, 10);
