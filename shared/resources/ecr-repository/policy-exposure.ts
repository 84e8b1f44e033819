import type { PolicyCondition, PolicyStatement, RepositoryPolicy } from "./state";

/**
 * Condition keys that pin a request to known accounts, an organization or a network (lower case).
 * A positive condition on any of them makes a `*` principal no longer "anyone".
 */
const RESTRICTING_KEYS = new Set([
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:principalservicename",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceowner",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:sourceip",
  "aws:vpcsourceip",
  "aws:userid",
]);

/** Operators that require the key to have (one of) the values; negated ones grant everyone else. */
const POSITIVE_OPERATORS = new Set([
  "stringequals",
  "stringequalsignorecase",
  "stringlike",
  "arnequals",
  "arnlike",
  "ipaddress",
]);

const ARN_KEYS = new Set(["aws:principalarn", "aws:sourcearn"]);
const WORLD_NETWORKS = new Set(["0.0.0.0/0", "::/0"]);

/** A value that still matches everyone: only wildcards, an ARN with any account, the whole internet. */
function matchesAnyone(key: string, value: string): boolean {
  const v = value.trim();
  if (/^[*?]*$/.test(v)) return true;
  if (WORLD_NETWORKS.has(v)) return true;
  if (ARN_KEYS.has(key)) {
    const account = v.split(":")[4];
    return account === undefined || /^[*?]*$/.test(account);
  }
  return false;
}

/**
 * Whether one condition restricts who may call. `…IfExists` passes when the key is absent (an
 * anonymous or out-of-org caller has no `aws:PrincipalOrgID`), `ForAllValues:` passes on an empty
 * set and `Null` only asks for presence: none of them restricts.
 */
export function restricts(condition: PolicyCondition): boolean {
  const key = condition.key.toLowerCase();
  const operator = condition.operator.toLowerCase().replace(/^foranyvalue:/, "");
  if (!RESTRICTING_KEYS.has(key) || !POSITIVE_OPERATORS.has(operator)) return false;
  return condition.values.length > 0 && condition.values.every((value) => !matchesAnyone(key, value));
}

/** Allow statements that grant any AWS principal, unrestricted by an account/organization/network condition. */
export function publicStatements(policy: RepositoryPolicy | undefined): PolicyStatement[] {
  if (policy?.kind !== "document") return [];
  return policy.statements.filter(
    (s) =>
      s.effect.toLowerCase() === "allow" &&
      (s.anyPrincipal || s.notPrincipal) &&
      !s.conditions.some((condition) => restricts(condition)),
  );
}
