import { iamPolicyReadActions } from "../../resources/iam-policy/adapter";
import { defineCheck } from "../define";
import { policyViolations, undecidedPolicy } from "./judge";
import { policyTriggers, REVERT_POLICY_DEFAULT } from "./triggers";

export default defineCheck({
  id: "IAM.21",
  title: "IAM customer managed policies that you create should not allow wildcard actions for services",
  severity: "LOW",
  resourceType: "AWS::IAM::Policy",
  controls: ["FSBP IAM.21"],
  description:
    "The customer managed policy's default version allows every action of a service (`ec2:*`, `*`, or through NotAction). List the actions needed instead (`ec2:Describe*` is fine); Vigil can set the default back to the previous version (dry-run by default).",
  triggers: policyTriggers,
  iamActions: iamPolicyReadActions,
  remediation: REVERT_POLICY_DEFAULT,
  undecided: undecidedPolicy,
  evaluate: (state) => policyViolations("IAM.21", state),
});
