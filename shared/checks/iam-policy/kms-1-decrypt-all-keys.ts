import { iamPolicyReadActions } from "../../resources/iam-policy/adapter";
import { defineCheck } from "../define";
import { policyViolations, undecidedPolicy } from "./judge";
import { policyTriggers, REVERT_POLICY_DEFAULT } from "./triggers";

export default defineCheck({
  id: "KMS.1",
  title: "IAM customer managed policies should not allow decryption actions on all KMS keys",
  severity: "MEDIUM",
  resourceType: "AWS::IAM::Policy",
  controls: ["FSBP KMS.1"],
  description:
    "The customer managed policy's default version allows kms:Decrypt or kms:ReEncryptFrom on every KMS key. Name the keys (or at least this account's keys in one Region); Vigil can set the default back to the previous version (dry-run by default).",
  triggers: policyTriggers,
  iamActions: iamPolicyReadActions,
  remediation: REVERT_POLICY_DEFAULT,
  undecided: undecidedPolicy,
  evaluate: (state) => policyViolations("KMS.1", state),
});
