import { iamUserReadActions } from "../../resources/iam-user/adapter";
import type { ConsoleAccess } from "../../resources/iam-user/state";
import { defineCheck } from "../define";
import { consoleMfaTriggers } from "./triggers";

/** Decidable when MFA is known on, the password known gone, or both known (password on, no MFA). */
function decided(c: ConsoleAccess | undefined): boolean {
  if (!c) return false;
  return (
    c.mfaActive === true ||
    c.passwordEnabled === false ||
    (c.passwordEnabled === true && c.mfaActive === false)
  );
}

/** Detect only: Vigil can't give a user an MFA device, and removing the password locks the user out. */
export default defineCheck({
  id: "IAM.5",
  title: "MFA should be enabled for all IAM users that have a console password",
  severity: "MEDIUM",
  resourceType: "AWS::IAM::User",
  controls: ["FSBP IAM.5", "CIS 1.10"],
  description:
    "The user can sign in to the console with a password alone. Have the user enable an MFA device (or remove the console password if the user does not need the console).",
  triggers: consoleMfaTriggers,
  iamActions: iamUserReadActions,
  undecided: (state) =>
    decided(state.console)
      ? undefined
      : "this event does not say both whether the user has a password and MFA",
  evaluate: (state) =>
    state.console?.passwordEnabled === true && state.console.mfaActive === false
      ? [
          {
            summary: `user ${state.userName} has a console password and no MFA device`,
            evidence: {
              userName: state.userName,
              passwordEnabled: true,
              mfaActive: false,
              source: state.console.source,
            },
          },
        ]
      : [],
});
