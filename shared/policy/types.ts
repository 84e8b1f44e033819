/**
 * The normalised shape of an IAM policy document (identity, resource or trust policy), whatever form it
 * arrived in. Every "string or list" element is a list here, `Statement` is always a list, condition keys
 * are lower-cased, and each statement remembers its position in the source so evidence can point at it.
 */

/** `Allow` or `Deny` (AWS spells them this way; other casings are normalised to these). */
export type Effect = "Allow" | "Deny";

/** An `Action`/`NotAction` or `Resource`/`NotResource` element: `not` is true for the `Not…` form. */
export interface PatternElement {
  readonly not: boolean;
  /** The patterns as written (case kept for evidence; matching decides case sensitivity). */
  readonly values: readonly string[];
}

/** The principal types a policy may name, in AWS's spelling. */
export const PRINCIPAL_TYPES = ["AWS", "Service", "Federated", "CanonicalUser"] as const;
/** One of {@link PRINCIPAL_TYPES}. */
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/**
 * `"Principal": "*"` is `{ everyone: true }` with empty lists; `{"AWS": "*"}` is `{ everyone: false, AWS: ["*"] }`
 * (AWS treats both as everyone; {@link isEveryone} in principals.ts answers that question).
 */
export interface Principal {
  readonly everyone: boolean;
  readonly AWS: readonly string[];
  readonly Service: readonly string[];
  readonly Federated: readonly string[];
  readonly CanonicalUser: readonly string[];
}

/** A `Principal`/`NotPrincipal` element. */
export interface PrincipalElement {
  readonly not: boolean;
  readonly value: Principal;
}

/** One `operator -> key -> values` triple of a `Condition` block. */
export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The operator without set qualifier and `IfExists`, e.g. `StringLike`. */
  readonly baseOperator: string;
  /** `ForAnyValue` / `ForAllValues` when the operator has a set qualifier. */
  readonly qualifier?: "ForAnyValue" | "ForAllValues";
  /** True for `…IfExists`: the entry is true when the key is missing from the request. */
  readonly ifExists: boolean;
  /** The condition key, lower-cased (AWS compares keys case-insensitively), e.g. `aws:sourcevpce`. */
  readonly key: string;
  /** The values as strings (booleans and numbers are compared as text by AWS). */
  readonly values: readonly string[];
}

/** One statement, with its position in the source document. */
export interface PolicyStatement {
  /** Position in the source `Statement` list (0 when `Statement` was a single object). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly action: PatternElement;
  /** Absent in trust policies (the resource is the role itself). */
  readonly resource?: PatternElement;
  /** Absent in identity policies. */
  readonly principal?: PrincipalElement;
  /** Empty when the statement has no `Condition`. */
  readonly conditions: readonly ConditionEntry[];
}

/** A whole policy document. */
export interface PolicyDocument {
  readonly version?: string;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}

/** Which form the input arrived in. */
export type PolicyEncoding = "object" | "json" | "url-encoded-json";

/** Why a document could not be read. Messages name paths and problems, never the document's values. */
export interface PolicyParseError {
  readonly code: "empty" | "not-json" | "bad-url-encoding" | "not-a-policy" | "invalid-shape";
  readonly message: string;
  /** For `invalid-shape`: one line per problem, `path: problem`. */
  readonly issues: readonly string[];
}

/** The result of {@link parsePolicyDocument}: never throws, always one of these. */
export type PolicyParseResult =
  | { readonly ok: true; readonly document: PolicyDocument; readonly encoding: PolicyEncoding }
  | { readonly ok: false; readonly error: PolicyParseError };

/** Points at one statement in evidence: its index and Sid, and which document when several were analysed. */
export interface StatementRef {
  readonly index: number;
  readonly sid?: string;
  /** Index in the list of documents given to a multi-document decision. */
  readonly document?: number;
}
