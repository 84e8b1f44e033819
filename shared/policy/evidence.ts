import type { PolicyDocument, StatementRef } from "./types";

/** `statement 2 (Sid "BreakGlass")`, `policy 1 statement 0`: how findings name a statement. */
export function describeStatement(ref: StatementRef): string {
  const where =
    ref.document !== undefined ? `policy ${ref.document} statement ${ref.index}` : `statement ${ref.index}`;
  return ref.sid !== undefined && ref.sid !== "" ? `${where} (Sid "${ref.sid}")` : where;
}

/** Decisions that combine several policies (a principal's) accept one document or a list. */
export function asDocuments(
  documents: PolicyDocument | readonly PolicyDocument[],
): readonly PolicyDocument[] {
  return "statements" in documents ? [documents] : documents;
}
