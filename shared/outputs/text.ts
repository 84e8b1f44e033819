const ELLIPSIS = "…";

/**
 * `text` cut to at most `max` UTF-16 code units (what AWS length limits count, and never more code
 * points than that), ending in `…` when cut. Never splits a surrogate pair, so the result is
 * always valid Unicode.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  // A high surrogate at the cut would lose its pair: cut before it.
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** An ISO timestamp normalised to `YYYY-MM-DDTHH:MM:SS.sssZ`, or undefined when absent or unparseable. */
export function isoTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The latest of some ISO timestamps (unparseable ones ignored). */
export function latestTime(...values: (string | undefined)[]): string | undefined {
  let best: number | undefined;
  for (const value of values) {
    const ms = value ? Date.parse(value) : Number.NaN;
    if (!Number.isNaN(ms) && (best === undefined || ms > best)) best = ms;
  }
  return best === undefined ? undefined : new Date(best).toISOString();
}

/** The AWS partition an ARN names (`aws`, `aws-cn`, `aws-us-gov`, …), or undefined for a non-ARN. */
export function partitionOf(arn: string | undefined): string | undefined {
  const match = /^arn:([a-z0-9-]+):/.exec(arn ?? "");
  return match?.[1];
}
