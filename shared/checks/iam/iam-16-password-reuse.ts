import { defineCheck } from "../define";
import { policyViolations } from "./password-policy";
import { iamSettings } from "./settings";
import { passwordPolicyTriggers } from "./triggers";

export default defineCheck({
  id: "IAM.16",
  title: "Ensure IAM password policy prevents password reuse",
  severity: "LOW",
  resourceType: "AWS::IAM::AccountPasswordPolicy",
  controls: ["SecurityHub IAM.16", "CIS 1.9"],
  description:
    "The account password policy remembers fewer previous passwords than CIS asks (24 by default), or was deleted, so users can cycle back to an old password. Vigil can put back the previous policy with that reuse prevention (dry-run by default).",
  triggers: passwordPolicyTriggers,
  iamActions: [],
  remediation: { id: "restore-password-policy", defaultMode: "dry-run" },
  evaluate: (state, { config }) =>
    policyViolations(state, [
      { setting: "PasswordReusePrevention", required: iamSettings(config).cisPasswordReusePrevention },
    ]),
});
