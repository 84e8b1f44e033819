import type { ResourceRef } from "../../core/resource";
import { identityRef } from "../iam-identity/ref";

export const IAM_ROLE_TYPE = "AWS::IAM::Role";

/** A role, keyed by name in IAM's `global` pseudo-Region (see identityRef). */
export function iamRoleRef(roleName: string, account: string, partition: string, arn?: string): ResourceRef {
  return identityRef("role", roleName, account, partition, arn);
}
