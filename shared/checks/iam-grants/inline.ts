import type { PolicyDocument, StatementRef } from "../../policy";
import { readDocument } from "../../resources/iam-identity/judge";
import type { InlinePolicy } from "../../resources/iam-identity/state";
import type { IdentityView } from "./identities";

/** An inline policy whose document could be read. */
export interface ReadPolicy {
  policy: InlinePolicy;
  document: PolicyDocument;
}

/** The readable inline policies of the view, and why judging only them would not be conclusive. */
export function inlinePolicies(view: IdentityView): { read: ReadPolicy[]; unknown?: string } {
  const inline = view.grants?.inline;
  if (!inline) return { read: [], unknown: `this event does not show the ${view.kind}'s inline policies` };
  const read: ReadPolicy[] = [];
  const unread: string[] = [];
  for (const policy of inline.policies) {
    const document = readDocument(policy.document);
    if (document) read.push({ policy, document });
    else unread.push(policy.name);
  }
  if (!inline.complete) {
    const seen = [...inline.policies.map((p) => p.name), ...(inline.removed ?? [])];
    return {
      read,
      unknown: `this event names only inline policy ${seen.map((n) => `"${n}"`).join(", ")} of the ${view.kind}`,
    };
  }
  if (unread.length)
    return {
      read,
      unknown: `the document of inline policy ${unread.map((n) => `"${n}"`).join(", ")} could not be read`,
    };
  return { read };
}

/** A statement as evidence names it: index and Sid, whether it is conditional and on what (keys, never values). */
export function statementEvidence(
  statement: StatementRef,
  conditional: boolean,
  conditions: readonly string[],
): Record<string, unknown> {
  return {
    index: statement.index,
    ...(statement.sid ? { sid: statement.sid } : {}),
    ...(conditional ? { conditional: true, conditions: [...conditions] } : {}),
  };
}

/** `statement 0 (Sid "BreakGlass")`. */
export function describeStatements(refs: readonly StatementRef[]): string {
  return refs.map((r) => `statement ${r.index}${r.sid ? ` (Sid "${r.sid}")` : ""}`).join(", ");
}
