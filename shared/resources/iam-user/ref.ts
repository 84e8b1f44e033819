import type { ResourceRef } from "../../core/resource";
import { IAM_REGION } from "../account/ref";

export const IAM_USER_TYPE = "AWS::IAM::User";

/**
 * An IAM user, keyed by its name (unique in the account): CloudTrail calls name the user, not its
 * path, so the ARN is built without a path unless the source states the real one (a credential report).
 */
export function iamUserRef(userName: string, account: string, partition: string, arn?: string): ResourceRef {
  return {
    type: IAM_USER_TYPE,
    id: userName,
    arn: arn ?? `arn:${partition}:iam::${account}:user/${userName}`,
    account,
    region: IAM_REGION,
    name: userName,
  };
}
