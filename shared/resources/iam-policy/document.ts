import { parsePolicyDocument, type PolicyDocument } from "../../policy";

export type ReadDocument = { document: PolicyDocument } | { documentProblem: string };

/**
 * A policy version's text as CloudTrail (JSON text), IAM's API or Config (URL-encoded) carries it. A text
 * the analyser can't read leaves the checks undecided rather than rejecting the whole event: the
 * message names the problem, never the document's values.
 */
export function readDocument(text: string, where: string): ReadDocument {
  const parsed = parsePolicyDocument(text);
  if (parsed.ok) return { document: parsed.document };
  const issues = parsed.error.issues.length ? ` (${parsed.error.issues.join("; ")})` : "";
  return { documentProblem: `${where}: ${parsed.error.message}${issues}` };
}
