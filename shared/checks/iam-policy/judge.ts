import type { IamPolicyState } from "../../resources/iam-policy/state";
import type { Violation } from "../define";
import { POLICY_RULES, type PolicyRuleId } from "./rules";

/**
 * Why a policy grants nothing the controls judge, or undefined when it does:
 * - AWS managed policies are AWS's (the controls evaluate customer managed policies only);
 * - a policy used only as a permissions boundary (attached to nothing) grants nothing: a boundary caps
 *   permissions, and `Allow *` is its usual, harmless form. Security Hub runs IAM.1 with
 *   `excludePermissionBoundaryPolicy: true`; Vigil applies the same reasoning to IAM.21 and KMS.1.
 *   The counts come with every source (CreatePolicy's answer, GetPolicy, the Config item), so knowing it
 *   costs no extra read (ListEntitiesForPolicy is not needed).
 */
export function notGranting(state: IamPolicyState): string | undefined {
  if (state.awsManaged) return "an AWS managed policy";
  const boundary = state.permissionsBoundaryUsageCount ?? 0;
  if (boundary > 0 && state.attachmentCount === 0) return "used only as a permissions boundary";
  return undefined;
}

/** Undecided while the default version's document is unknown (not applicable policies never are). */
export function undecidedPolicy(state: IamPolicyState): string | undefined {
  if (notGranting(state)) return undefined;
  return state.document ? undefined : (state.documentProblem ?? "the default version's document is unknown");
}

function conditionNote(conditions: readonly string[]): string {
  return `; conditional (${conditions.join(", ")}): reported all the same, as the control does not weigh conditions`;
}

/** One violation per flagged statement of the default version. */
export function policyViolations(rule: PolicyRuleId, state: IamPolicyState): Violation[] {
  if (notGranting(state) || !state.document) return [];
  const version = state.defaultVersionId ? ` (default version ${state.defaultVersionId})` : "";
  return POLICY_RULES[rule](state.document).map((hit) => ({
    summary: `policy ${state.policyName}${version}: ${hit.reason}${hit.conditional ? conditionNote(hit.conditions) : ""}`,
    evidence: {
      rule,
      policyArn: state.policyArn,
      ...(state.defaultVersionId ? { versionId: state.defaultVersionId } : {}),
      documentSource: state.documentSource,
      statement: { index: hit.statement.index, ...(hit.statement.sid ? { sid: hit.statement.sid } : {}) },
      ...hit.detail,
      conditional: hit.conditional,
      ...(hit.conditional ? { conditions: hit.conditions } : {}),
      ...(hit.limitedBy.length ? { limitedByDenyStatements: hit.limitedBy.map((ref) => ref.index) } : {}),
      // The call that made this version the default, when the state is still the one it made.
      ...(state.change.source !== "ConfigItem" && state.change.versionId === state.defaultVersionId
        ? { madeDefaultBy: state.change.source }
        : {}),
    },
  }));
}
