import { describeRequirement, weaknesses, type Requirement } from "../../resources/password-policy/policy";
import type { PasswordPolicyState } from "../../resources/password-policy/state";
import type { Violation } from "../define";

/**
 * The shared judgement of IAM.7/15/16: the policy against a check's requirements, one violation
 * listing every requirement missed. The evidence's `weak` list is what the restore raises.
 */
export function policyViolations(
  state: PasswordPolicyState,
  requirements: readonly Requirement[],
): Violation[] {
  const weak = weaknesses(state.policy, requirements);
  if (!weak.length) return [];
  const missed = weak.map(
    (w) => `${describeRequirement(w)} (is ${w.actual === null ? "unset" : String(w.actual)})`,
  );
  const summary =
    state.policy === null
      ? `the account password policy was deleted: nothing requires ${weak.map(describeRequirement).join(", ")}`
      : `the account password policy misses ${missed.join(", ")}`;
  return [{ summary, evidence: { accountId: state.accountId, policy: state.policy ?? "deleted", weak } }];
}
