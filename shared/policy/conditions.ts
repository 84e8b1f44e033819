import { isWorldOpen, parseCidr } from "../net/cidr";
import type { ConditionEntry } from "./types";
import { hasWildcard } from "./wildcard";

/**
 * Which conditions keep a statement that names everyone (`Principal: "*"`) from being public.
 *
 * A condition entry RESTRICTS when a request from an arbitrary outsider (another account, or anonymous)
 * cannot satisfy it: a key that identifies the caller's network, organisation, account or identity, compared
 * with a positive operator against values that name something specific. IAM semantics behind the rules
 * (IAM User Guide, "Condition operators" and "Single-valued vs. multivalued condition keys"):
 * - `…IfExists` is true when the key is missing (anonymous callers have no `aws:PrincipalOrgID`): never restricts.
 * - `ForAllValues:` is true when the key is missing or empty (vacuous truth): never restricts.
 * - `ForAnyValue:` is false when the key is missing: restricts like the plain operator.
 * - Negated operators (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, …) let everyone else in: never restrict
 *   in an Allow (a `StringNotEquals` of a made-up value admits the whole world).
 * - Several values in one entry are OR-ed: the entry restricts only when every value does.
 * - Several entries are AND-ed: one restricting entry restricts the statement.
 * - `Null`, `Bool aws:SecureTransport`, dates, numbers, and keys not listed below never restrict.
 * Condition VALUES never leave this module (an `sts:ExternalId` is a shared secret of sorts).
 */

type KeyKind = "id" | "arn" | "org-path" | "userid" | "ip" | "bool-true";

/** Keys that identify who or where the caller is, and how their values are judged. */
const RESTRICTING_KEYS: Readonly<Record<string, KeyKind>> = {
  "aws:sourcevpc": "id",
  "aws:sourcevpce": "id",
  "aws:sourcevpcarn": "arn",
  "aws:sourceip": "ip",
  "aws:vpcsourceip": "ip",
  "aws:principalorgid": "id",
  "aws:principalorgpaths": "org-path",
  "aws:principalaccount": "id",
  "aws:principalarn": "arn",
  "aws:principalservicename": "id",
  "aws:principalisawsservice": "bool-true",
  "aws:sourceaccount": "id",
  "aws:sourcearn": "arn",
  "aws:sourceorgid": "id",
  "aws:sourceorgpaths": "org-path",
  "aws:sourceowner": "id",
  "aws:userid": "userid",
  // Service keys AWS itself uses to scope "everyone" statements in key and access-point policies.
  "kms:calleraccount": "id",
  "s3:dataaccesspointaccount": "id",
  "s3:dataaccesspointarn": "arn",
};

const POSITIVE_STRING = new Set([
  "stringequals",
  "stringequalsignorecase",
  "stringlike",
  "arnequals",
  "arnlike",
]);
const NEGATED_STRING = new Set([
  "stringnotequals",
  "stringnotequalsignorecase",
  "stringnotlike",
  "arnnotequals",
  "arnnotlike",
]);
// ArnEquals takes wildcards exactly like ArnLike (IAM User Guide, "Amazon Resource Name (ARN) condition operators").
const WILDCARD_OPERATORS = new Set([
  "stringlike",
  "stringnotlike",
  "arnequals",
  "arnlike",
  "arnnotequals",
  "arnnotlike",
]);

/** True when one value names something specific for its key kind (see the module comment). */
function valueRestricts(kind: KeyKind, value: string, wildcards: boolean): boolean {
  const literal = (text: string) => text !== "" && (!wildcards || !hasWildcard(text));
  switch (kind) {
    case "ip": {
      // An unparseable range matches no caller, which restricts (AWS rejects such policies anyway).
      return parseCidr(value) === undefined || !isWorldOpen(value);
    }
    case "bool-true":
      return value.toLowerCase() === "true";
    case "id":
      return literal(value);
    case "org-path":
      // `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`: the organisation (first segment) must be named.
      return literal(value.split("/")[0] ?? "");
    case "userid":
      // `AROAEXAMPLEID:*` names one role (any session); the unique id before `:` must be named.
      return literal(value.split(":")[0] ?? "");
    case "arn": {
      // Fully named, or names the account (`arn:aws:sns:*:111122223333:*`); a bucket-name prefix does not.
      const account = value.split(":")[4] ?? "";
      return literal(value) || literal(account);
    }
  }
}

function operatorFits(kind: KeyKind, base: string, positive: boolean): boolean {
  const lower = base.toLowerCase();
  if (kind === "ip") return lower === (positive ? "ipaddress" : "notipaddress");
  if (kind === "bool-true") return positive && lower === "bool";
  return (positive ? POSITIVE_STRING : NEGATED_STRING).has(lower);
}

function valuesRestrict(entry: ConditionEntry, kind: KeyKind): boolean {
  const wildcards = WILDCARD_OPERATORS.has(entry.baseOperator.toLowerCase());
  return entry.values.length > 0 && entry.values.every((value) => valueRestricts(kind, value, wildcards));
}

/**
 * True when this entry, in an Allow statement, keeps arbitrary outsiders out (see the module comment):
 * e.g. `StringEquals aws:PrincipalOrgID o-…`, `IpAddress aws:SourceIp 203.0.113.0/24`,
 * `ForAnyValue:StringLike aws:PrincipalOrgPaths o-…/*`.
 */
export function isRestrictingCondition(entry: ConditionEntry): boolean {
  const kind = RESTRICTING_KEYS[entry.key];
  if (!kind || entry.ifExists || entry.qualifier === "ForAllValues") return false;
  return operatorFits(kind, entry.baseOperator, true) && valuesRestrict(entry, kind);
}

/**
 * True when this entry, in a Deny statement, is true for every arbitrary outsider, so the Deny shuts them out:
 * a negated operator on a caller-identifying key with specific values (`StringNotEquals aws:PrincipalOrgID
 * o-…`). Here a missing key makes the entry TRUE (negated operators, `…IfExists`, `ForAllValues:`), which is
 * what shuts anonymous callers out too; `ForAnyValue:` with a missing key is false, so it does not.
 */
export function isOutsiderDenyCondition(entry: ConditionEntry): boolean {
  const kind = RESTRICTING_KEYS[entry.key];
  if (!kind || kind === "bool-true" || entry.qualifier === "ForAnyValue") return false;
  return operatorFits(kind, entry.baseOperator, false) && valuesRestrict(entry, kind);
}

/** `operator key` pairs of a statement's conditions, for evidence (never the values). */
export function conditionSummary(entries: readonly ConditionEntry[]): string[] {
  return entries.map((entry) => `${entry.operator} ${entry.key}`);
}
