import { restricts } from "../ecr-repository/policy-exposure";
import type { BucketPolicy, BucketPolicyStatement } from "./state";

/** IAM's wildcards: `*` any run of characters, `?` one character. Case-sensitive, as ARNs are. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(value);
}

/**
 * Allow statements that grant any principal (or everyone outside a NotPrincipal) with no condition
 * pinning the caller to known accounts, an organization or a network. Deny statements never make
 * a bucket public.
 */
export function publicStatements(policy: BucketPolicy | null | undefined): BucketPolicyStatement[] {
  if (!policy) return [];
  return policy.statements.filter(
    (s) =>
      s.effect.toLowerCase() === "allow" &&
      (s.anyPrincipal || s.notPrincipal) &&
      !s.conditions.some((condition) => restricts(condition)),
  );
}

/**
 * Read-only S3 actions: `Get*` and `List*`, also as wildcards that only reach those (`s3:Get*`,
 * `s3:GetObject*`). Anything else (`*`, `s3:*`, `s3:Put*`, `s3:*Object`) may write or delete.
 */
function isReadOnly(action: string): boolean {
  const match = /^s3:([A-Za-z0-9]*)([*?].*)?$/i.exec(action.trim());
  if (!match) return false;
  const prefix = (match[1] ?? "").toLowerCase();
  return prefix.startsWith("get") || prefix.startsWith("list");
}

/** Whether the statement lets its grantees change or delete (NotAction grants everything but a few). */
export function grantsWrite(statement: BucketPolicyStatement): boolean {
  return statement.notAction || statement.actions.some((action) => !isReadOnly(action));
}

const SECURE_TRANSPORT_OPERATORS = new Set(["bool", "boolifexists"]);

/** `"aws:SecureTransport": "false"` under Bool, and no other condition to narrow the deny. */
function onlyWhenInsecure(statement: BucketPolicyStatement): boolean {
  const [condition, ...others] = statement.conditions;
  if (!condition || others.length) return false;
  return (
    SECURE_TRANSPORT_OPERATORS.has(condition.operator.toLowerCase()) &&
    condition.key.toLowerCase() === "aws:securetransport" &&
    condition.values.length > 0 &&
    condition.values.every((value) => value.toLowerCase() === "false")
  );
}

/**
 * S3.5 (s3-bucket-ssl-requests-only): a Deny of every S3 action (`s3:*` or `*`) to every principal,
 * on the bucket and on its objects, when `aws:SecureTransport` is false.
 */
export function deniesInsecureTransport(statement: BucketPolicyStatement, bucketArn: string): boolean {
  const coversResource = (target: string) => statement.resources.some((r) => globMatches(r, target));
  return (
    statement.effect.toLowerCase() === "deny" &&
    statement.anyPrincipal &&
    !statement.notPrincipal &&
    !statement.notAction &&
    statement.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*") &&
    !statement.notResource &&
    coversResource(bucketArn) &&
    coversResource(`${bucketArn}/*`) &&
    onlyWhenInsecure(statement)
  );
}

export function requiresSecureTransport(policy: BucketPolicy | null, bucketArn: string): boolean {
  return policy?.statements.some((s) => deniesInsecureTransport(s, bucketArn)) === true;
}
