import { FLAGS, type Requirement } from "../../resources/password-policy/policy";
import { defineCheck } from "../define";
import { policyViolations } from "./password-policy";
import { iamSettings, type IamSettings } from "./settings";
import { passwordPolicyTriggers } from "./triggers";

/** iam-password-policy's parameters: the flags asked for, the length, reuse and age when configured. */
function requirements({ passwordPolicy: p }: IamSettings): Requirement[] {
  return [
    ...FLAGS.filter((flag) => p[flag]).map((setting): Requirement => ({ setting, required: true })),
    { setting: "MinimumPasswordLength", required: p.MinimumPasswordLength },
    ...(p.PasswordReusePrevention !== undefined
      ? [{ setting: "PasswordReusePrevention" as const, required: p.PasswordReusePrevention }]
      : []),
    ...(p.MaxPasswordAge !== undefined
      ? [{ setting: "MaxPasswordAge" as const, required: p.MaxPasswordAge }]
      : []),
  ];
}

export default defineCheck({
  id: "IAM.7",
  title: "Password policies for IAM users should have strong configurations",
  severity: "MEDIUM",
  resourceType: "AWS::IAM::AccountPasswordPolicy",
  controls: ["FSBP IAM.7"],
  description:
    "The account password policy was weakened or deleted: it no longer requires upper- and lowercase letters, numbers, symbols and the configured length. Vigil can put back the previous policy, raised to these requirements (dry-run by default).",
  triggers: passwordPolicyTriggers,
  iamActions: [],
  remediation: { id: "restore-password-policy", defaultMode: "dry-run" },
  evaluate: (state, { config }) => policyViolations(state, requirements(iamSettings(config))),
});
