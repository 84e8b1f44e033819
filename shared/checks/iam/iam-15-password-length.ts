import { defineCheck } from "../define";
import { policyViolations } from "./password-policy";
import { iamSettings } from "./settings";
import { passwordPolicyTriggers } from "./triggers";

export default defineCheck({
  id: "IAM.15",
  title: "Ensure IAM password policy requires minimum password length of 14 or greater",
  severity: "MEDIUM",
  resourceType: "AWS::IAM::AccountPasswordPolicy",
  controls: ["SecurityHub IAM.15", "CIS 1.8"],
  description:
    "The account password policy allows passwords shorter than the CIS minimum (14 by default), or was deleted. Vigil can put back the previous policy with at least that length (dry-run by default).",
  triggers: passwordPolicyTriggers,
  iamActions: [],
  remediation: { id: "restore-password-policy", defaultMode: "dry-run" },
  evaluate: (state, { config }) =>
    policyViolations(state, [
      { setting: "MinimumPasswordLength", required: iamSettings(config).cisMinimumPasswordLength },
    ]),
});
