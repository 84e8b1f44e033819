import type { ResourceRef } from "../../core/resource";
import { IAM_REGION } from "../account/ref";

export const PASSWORD_POLICY_TYPE = "AWS::IAM::AccountPasswordPolicy";

/** One policy per account (no CloudFormation or Config type, no ARN: the one here only names it). */
export function passwordPolicyRef(accountId: string, partition: string): ResourceRef {
  return {
    type: PASSWORD_POLICY_TYPE,
    id: accountId,
    arn: `arn:${partition}:iam::${accountId}:account-password-policy`,
    account: accountId,
    region: IAM_REGION,
    name: "IAM account password policy",
  };
}
