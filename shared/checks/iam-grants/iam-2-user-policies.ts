import { policyCalls } from "../../resources/iam-identity/kinds";
import type { IamUserState } from "../../resources/iam-user/state";
import { defineCheck } from "../define";
import { fromVerdict, type Verdict } from "./decide";
import { readActionsFor } from "./identities";

/** IAM.2: any inline or attached policy of the user's own; clean only when both lists are whole and empty. */
export function userPoliciesVerdict(state: IamUserState): Verdict {
  const { inline, attached } = state.grants ?? {};
  const inlineNames = inline?.policies.map((p) => p.name) ?? [];
  const attachedArns = attached?.policies.map((p) => p.arn) ?? [];
  const partial = [inline, attached].some((part) => !part || !part.complete);
  if (!inlineNames.length && !attachedArns.length) {
    return partial
      ? { violations: [], unknown: "this event does not show all of the user's inline and attached policies" }
      : { violations: [] };
  }
  const parts = [
    ...inlineNames.map((n) => `inline policy "${n}"`),
    ...(attached?.policies.map((p) => `managed policy ${p.name}`) ?? []),
  ];
  return {
    violations: [
      {
        summary: `user ${state.userName} has policies of its own: ${parts.join(", ")}${partial ? " (at least)" : ""}`,
        evidence: {
          userName: state.userName,
          inlinePolicies: inlineNames,
          attachedPolicies: attachedArns,
          ...(partial ? { partial: true } : {}),
        },
      },
    ],
  };
}

const calls = policyCalls("user");

/** Detect only: moving a user's permissions to groups or roles is a design change, not a safe automatic fix. */
export default defineCheck({
  id: "IAM.2",
  title: "IAM users should not have IAM policies attached",
  severity: "LOW",
  resourceType: "AWS::IAM::User",
  controls: ["FSBP IAM.2", "CIS 1.15"],
  description:
    "The user has inline or attached policies of its own. Grant permissions through groups (or roles) instead, so access is managed in one place.",
  triggers: {
    cloudTrail: [
      {
        eventSource: "iam.amazonaws.com",
        eventNames: [calls.put, calls.delete, calls.attach, calls.detach, calls.deleteIdentity],
      },
    ],
    config: ["AWS::IAM::User"],
  },
  iamActions: readActionsFor("user"),
  ...fromVerdict<"AWS::IAM::User">((state) => userPoliciesVerdict(state)),
});
