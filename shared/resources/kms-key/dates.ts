const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** KMS's CloudTrail dates: `Mar 28, 2025, 6:09:47 PM` (also seen without the second comma), in UTC. */
const KMS_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/;

/**
 * A date as KMS's CloudTrail records write it, as ISO-8601; also ISO text and epoch seconds or
 * milliseconds, which other sources use. Undefined when it is none of these (never a guess).
 */
export function kmsDate(value: string | number): string | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return new Date(value < 1e11 ? value * 1000 : value).toISOString();
  }
  const match = KMS_DATE.exec(value.trim());
  if (match) {
    const [, month = "", day = "", year = "", hour = "", minute = "", second = "", half = ""] = match;
    const monthIndex = MONTHS.indexOf(month);
    const h = Number(hour);
    if (monthIndex < 0 || h < 1 || h > 12) return undefined;
    const hours = (h % 12) + (half === "PM" ? 12 : 0);
    const time = Date.UTC(Number(year), monthIndex, Number(day), hours, Number(minute), Number(second));
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  return undefined;
}
