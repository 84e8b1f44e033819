import { undoExemptionTags } from "../../exemptions/undo-tags";
import { IDENTITY, type IdentityKind } from "../../resources/iam-identity/kinds";
import type { IdentityIam } from "../../resources/iam-identity/live";

/**
 * Before `vigil undo` puts a policy back, the user or role is tagged exempt from the checks that removed it,
 * or the restoring call's own event would have Vigil remove it again. Groups can't be tagged: the message
 * says what the operator must do instead (a config exemption), and the finding goes back to OPEN.
 */
export async function exemptBeforeRestore(
  kind: IdentityKind,
  iam: IdentityIam,
  name: string,
  checkIds: readonly string[],
  tagKey: string,
): Promise<string> {
  if (!checkIds.length) return "";
  if (!IDENTITY[kind].taggable)
    return (
      `; groups can't be tagged: unless a config exemption (checkIds ${checkIds.join(", ")}, resourceId ${name}) ` +
      `is in place, Vigil acts again on this restore's own event when the check's mode is auto`
    );
  const { tags, summary } = undoExemptionTags(await iam.tags(name), checkIds, tagKey);
  await iam.tag(name, tags);
  return `; ${kind} ${name} ${summary}`;
}
