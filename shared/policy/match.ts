import type { PolicyStatement, StatementRef } from "./types";
import { wildcardMatches } from "./wildcard";

/**
 * Statement-level matching. Conditions are never evaluated here (we do not know the request); callers that
 * care use {@link isConditional} and report the condition keys.
 */

/** True when an action pattern (`s3:Get*`, `*`, `iam:*`) matches an action, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatches(pattern, action, "action");
}

/** True when a resource pattern (`*`, `arn:aws:s3:::bucket/*`) matches a resource ARN (segment-aware). */
export function resourceMatches(pattern: string, resource: string): boolean {
  return wildcardMatches(pattern, resource, "arn");
}

/** The `Action` pattern that matches `action`, or `NotAction` when the statement covers it by exclusion. */
export function actionVia(statement: PolicyStatement, action: string): string | undefined {
  const { not, values } = statement.action;
  if (not) return values.some((pattern) => actionMatches(pattern, action)) ? undefined : "NotAction";
  return values.find((pattern) => actionMatches(pattern, action));
}

/** True when the statement's `Action` matches `action`, or its `NotAction` does not. */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
  return actionVia(statement, action) !== undefined;
}

/**
 * True when the statement's `Resource` matches `resource`, or its `NotResource` does not. A statement
 * without either (a trust policy) applies to the resource it is attached to, so it covers any resource.
 */
export function statementCoversResource(statement: PolicyStatement, resource: string): boolean {
  if (!statement.resource) return true;
  const { not, values } = statement.resource;
  const matched = values.some((pattern) => resourceMatches(pattern, resource));
  return not ? !matched : matched;
}

function covers(statement: PolicyStatement, action: string, resource: string | undefined): boolean {
  return (
    statementCoversAction(statement, action) &&
    (resource === undefined || statementCoversResource(statement, resource))
  );
}

/** True when the statement has a `Condition` (so it applies only to some requests). */
export function isConditional(statement: PolicyStatement): boolean {
  return statement.conditions.length > 0;
}

/**
 * True when this `Allow` statement grants `action` (on `resource`, when given; on some resource otherwise),
 * ignoring conditions. `Allow` with `NotAction` grants every action its list does not match.
 */
export function statementAllows(statement: PolicyStatement, action: string, resource?: string): boolean {
  return statement.effect === "Allow" && covers(statement, action, resource);
}

/** True when this `Deny` statement denies `action` (on `resource` when given), ignoring conditions. */
export function statementDenies(statement: PolicyStatement, action: string, resource?: string): boolean {
  return statement.effect === "Deny" && covers(statement, action, resource);
}

/** A statement's reference for evidence. */
export function refOf(statement: PolicyStatement, document?: number): StatementRef {
  return {
    index: statement.index,
    ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
    ...(document !== undefined ? { document } : {}),
  };
}

/** What a set of statements says about one request (action, optionally resource), conditions unknown. */
export interface AccessVerdict {
  /**
   * `denied`: an unconditional Deny applies (explicit deny always wins); `allowed`: an unconditional Allow
   * applies and no unconditional Deny; `conditional`: only conditional Allows apply; `not-allowed`: no Allow.
   */
  readonly decision: "allowed" | "conditional" | "denied" | "not-allowed";
  readonly allowedBy: readonly StatementRef[];
  /** Deny statements that apply, conditional or not. */
  readonly deniedBy: readonly StatementRef[];
}

/**
 * Evaluates identity-policy statements for one action (and resource, when given) the way IAM combines them
 * within one policy: an explicit Deny overrides any Allow; without an Allow the request is implicitly denied.
 * Conditions are not evaluated: a conditional Deny never decides, a conditional Allow gives `conditional`.
 */
export function evaluateAccess(
  statements: readonly PolicyStatement[],
  action: string,
  resource?: string,
): AccessVerdict {
  const allows = statements.filter((statement) => statementAllows(statement, action, resource));
  const denies = statements.filter((statement) => statementDenies(statement, action, resource));
  const allowedBy = allows.map((statement) => refOf(statement));
  const deniedBy = denies.map((statement) => refOf(statement));
  const decision = denies.some((statement) => !isConditional(statement))
    ? "denied"
    : allows.some((statement) => !isConditional(statement))
      ? "allowed"
      : allows.length > 0
        ? "conditional"
        : "not-allowed";
  return { decision, allowedBy, deniedBy };
}
