import { iamPolicyReadActions } from "../../resources/iam-policy/adapter";
import { defineCheck } from "../define";
import { policyViolations, undecidedPolicy } from "./judge";
import { policyTriggers, REVERT_POLICY_DEFAULT } from "./triggers";

export default defineCheck({
  id: "IAM.1",
  title: 'IAM policies should not allow full "*" administrative privileges',
  severity: "HIGH",
  resourceType: "AWS::IAM::Policy",
  controls: ["FSBP IAM.1"],
  description:
    "The customer managed policy's default version allows every action on every resource: whoever it is attached to is a full administrator. Grant only the actions needed; Vigil can set the default back to the previous version (dry-run by default).",
  triggers: policyTriggers,
  iamActions: iamPolicyReadActions,
  remediation: REVERT_POLICY_DEFAULT,
  undecided: undecidedPolicy,
  evaluate: (state) => policyViolations("IAM.1", state),
});
