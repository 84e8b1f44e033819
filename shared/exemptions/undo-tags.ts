/**
 * The exemption tags `vigil undo` writes so Vigil leaves the restored setting alone: the checks are
 * added to the ids already in the tag (overwriting it would silently end exemptions someone else
 * made), an existing reason is kept. Ids are space-separated: ECR and ECS tag values reject commas,
 * and the tag reader accepts both.
 */
export function undoExemptionTags(
  current: Record<string, string>,
  checkIds: readonly string[],
  tagKey: string,
): { tags: Record<string, string>; summary: string } {
  const existing = (current[tagKey] ?? "").split(/[\s,]+/).filter(Boolean);
  const ids = existing.includes("*") ? ["*"] : [...new Set([...existing, ...checkIds])];
  const value = ids.join(" ");
  const tags: Record<string, string> = { [tagKey]: value };
  if (!current[`${tagKey}-reason`]) tags[`${tagKey}-reason`] = "restored with vigil undo";
  const until = current[`${tagKey}-until`];
  // An expiring exemption would let Vigil remediate again later: say so rather than change the date.
  const summary = `tagged ${tagKey}=${value}${until ? ` (until ${until}, as its ${tagKey}-until tag says)` : ""}`;
  return { tags, summary };
}
