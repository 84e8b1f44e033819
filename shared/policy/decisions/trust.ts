import { conditionSummary } from "../conditions";
import { describeStatement } from "../evidence";
import { isConditional, refOf, statementCoversAction } from "../match";
import { accountOfPrincipal } from "../principals";
import type { ConditionEntry, PolicyDocument, PolicyStatement, StatementRef } from "../types";
import { hasWildcard } from "../wildcard";
import { findPublicGrants } from "./public-principal";

/**
 * Risky role trust policies (the `AssumeRolePolicyDocument` of a role):
 * - `public`: an Allow of `sts:AssumeRole`, `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity` to
 *   everyone, not restricted by a condition (same rules as {@link findPublicGrants}; an `sts:ExternalId` does
 *   not make "everyone" safe: it is not a secret).
 * - `external-account`: an Allow of `sts:AssumeRole` to an AWS principal of an account that is neither the
 *   role's own account nor in `knownAccounts`, without an `sts:ExternalId` condition (a positive string
 *   operator, no `IfExists`, a value without wildcards) or an organisation condition (`aws:PrincipalOrgID` /
 *   `aws:PrincipalOrgPaths` naming an organisation): the third party is then open to the confused-deputy
 *   problem (IAM User Guide, "Access to AWS accounts owned by third parties").
 *
 * Not covered: service principals (confused deputy through `aws:SourceArn`/`aws:SourceAccount`), federated
 * principals (e.g. a GitHub OIDC trust without a `sub` condition), principals given as unique ids (`AROA…`,
 * what remains when a trusted role is deleted: nobody can use them), and NotPrincipal in trust policies
 * (reported as public).
 */
export type TrustIssue =
  | {
      readonly kind: "public";
      readonly statement: StatementRef;
      readonly principal: "*" | "AWS:*" | "NotPrincipal";
      readonly conditional: boolean;
      readonly conditions: readonly string[];
      readonly reason: string;
    }
  | {
      readonly kind: "external-account";
      readonly statement: StatementRef;
      /** The trusted principal as written (an account id or ARN). */
      readonly principal: string;
      readonly account: string;
      readonly conditional: boolean;
      readonly conditions: readonly string[];
      readonly reason: string;
    };

/** Accounts whose principals may be trusted without further conditions. */
export interface TrustOptions {
  readonly knownAccounts: readonly string[];
  /** The account owning the role: its principals are never external. */
  readonly ownAccount?: string;
}

const ASSUME_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"];
const POSITIVE_STRING = new Set(["stringequals", "stringequalsignorecase", "stringlike"]);

function namesSpecificValue(entry: ConditionEntry): boolean {
  return (
    POSITIVE_STRING.has(entry.baseOperator.toLowerCase()) &&
    !entry.ifExists &&
    entry.qualifier !== "ForAllValues" &&
    entry.values.length > 0 &&
    entry.values.every((value) => value !== "" && !hasWildcard(value))
  );
}

/** `sts:ExternalId` with a specific value, or an organisation condition naming an organisation. */
function guardsThirdParty(entry: ConditionEntry): boolean {
  if (entry.key === "sts:externalid") return namesSpecificValue(entry);
  if (entry.key === "aws:principalorgid") return namesSpecificValue(entry);
  if (entry.key === "aws:principalorgpaths") {
    const orgNamed = entry.values.every((value) => {
      const org = value.split("/")[0] ?? "";
      return org !== "" && !hasWildcard(org);
    });
    return (
      POSITIVE_STRING.has(entry.baseOperator.toLowerCase()) &&
      !entry.ifExists &&
      entry.qualifier !== "ForAllValues" &&
      entry.values.length > 0 &&
      orgNamed
    );
  }
  return false;
}

function externalIssues(statement: PolicyStatement, options: TrustOptions): TrustIssue[] {
  if (statement.effect !== "Allow" || !statement.principal || statement.principal.not) return [];
  if (!statementCoversAction(statement, "sts:AssumeRole")) return [];
  if (statement.conditions.some(guardsThirdParty)) return [];
  const known = new Set([...options.knownAccounts, ...(options.ownAccount ? [options.ownAccount] : [])]);
  const ref = refOf(statement);
  return statement.principal.value.AWS.flatMap((principal): TrustIssue[] => {
    const account = accountOfPrincipal(principal);
    if (account === undefined || known.has(account)) return [];
    return [
      {
        kind: "external-account",
        statement: ref,
        principal,
        account,
        conditional: isConditional(statement),
        conditions: conditionSummary(statement.conditions),
        reason: `${describeStatement(ref)} lets account ${account} assume the role without an sts:ExternalId or organisation condition`,
      },
    ];
  });
}

/** Every public or unguarded third-party trust in a role trust policy; see {@link TrustIssue}. */
export function findRiskyTrust(document: PolicyDocument, options: TrustOptions): TrustIssue[] {
  const assumeStatements = new Set(
    document.statements
      .filter((statement) => ASSUME_ACTIONS.some((action) => statementCoversAction(statement, action)))
      .map((statement) => statement.index),
  );
  const publicIssues = findPublicGrants(document)
    .filter((grant) => assumeStatements.has(grant.statement.index))
    .map((grant): TrustIssue => ({
      kind: "public",
      statement: grant.statement,
      principal: grant.principal,
      conditional: grant.conditional,
      conditions: grant.conditions,
      reason: `${describeStatement(grant.statement)} lets anyone assume the role (Principal ${grant.principal})`,
    }));
  return [...publicIssues, ...document.statements.flatMap((statement) => externalIssues(statement, options))];
}
