import type { VigilConfig } from "../../config/schema";
import { findRiskyTrust } from "../../policy";
import { readDocument } from "../../resources/iam-identity/judge";
import type { IamRoleState } from "../../resources/iam-role/state";
import { defineCheck, type Violation } from "../define";
import { fromVerdict, type Verdict } from "./decide";
import { readActionsFor } from "./identities";

/**
 * Who may assume the role: anyone (CRITICAL), or a principal of an account that is neither the role's own
 * nor in config `iam.knownAccounts`, without an sts:ExternalId or organisation condition (HIGH; the
 * confused-deputy risk of third-party access). Service and federated principals are not judged (see
 * findRiskyTrust).
 */
export function riskyTrustVerdict(state: IamRoleState, config: VigilConfig): Verdict {
  if (!state.trust) return { violations: [], unknown: "this event does not show the role's trust policy" };
  const document = readDocument(state.trust.document);
  if (!document) return { violations: [], unknown: "the role's trust policy could not be read" };
  const ownAccount = state.roleArn.split(":")[4] || undefined;
  const issues = findRiskyTrust(document, {
    knownAccounts: config.iam.knownAccounts,
    ...(ownAccount ? { ownAccount } : {}),
  });
  const violations = issues.map((issue): Violation => {
    const statement = {
      index: issue.statement.index,
      ...(issue.statement.sid ? { sid: issue.statement.sid } : {}),
    };
    const common = {
      roleName: state.roleName,
      statement,
      trustSource: state.trust?.source,
      ...(issue.conditional ? { conditional: true, conditions: [...issue.conditions] } : {}),
    };
    if (issue.kind === "public")
      return {
        summary: `role ${state.roleName}: ${issue.reason}`,
        evidence: { ...common, issue: "public", principal: issue.principal },
        severity: "CRITICAL",
      };
    return {
      summary: `role ${state.roleName}: ${issue.reason}`,
      evidence: { ...common, issue: "external-account", principal: issue.principal, account: issue.account },
    };
  });
  return { violations };
}

/** Detect only: rewriting a trust policy can cut off whoever legitimately assumes the role. */
export default defineCheck({
  id: "VIGIL.IAM.RISKY_TRUST",
  title:
    "IAM role trust policies should not let anyone, or unknown accounts without an external ID, assume the role",
  severity: "HIGH",
  resourceType: "AWS::IAM::Role",
  controls: [],
  description:
    "The role's trust policy lets everyone (CRITICAL) or an account outside your own and iam.knownAccounts, with no sts:ExternalId or aws:PrincipalOrgID condition (HIGH), assume it. Name the exact principals and add an external ID for third parties.",
  triggers: {
    cloudTrail: [
      {
        eventSource: "iam.amazonaws.com",
        eventNames: ["CreateRole", "UpdateAssumeRolePolicy", "DeleteRole"],
      },
    ],
    config: ["AWS::IAM::Role"],
  },
  iamActions: readActionsFor("role"),
  ...fromVerdict<"AWS::IAM::Role">((state, context) => riskyTrustVerdict(state, context.config)),
});
