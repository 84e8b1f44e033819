import type { ResourceRef } from "../../core/resource";
import { identityRef } from "../iam-identity/ref";

export const IAM_GROUP_TYPE = "AWS::IAM::Group";

/** A group, keyed by name in IAM's `global` pseudo-Region (see identityRef). */
export function iamGroupRef(
  groupName: string,
  account: string,
  partition: string,
  arn?: string,
): ResourceRef {
  return identityRef("group", groupName, account, partition, arn);
}
