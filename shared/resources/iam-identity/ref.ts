import type { ResourceRef } from "../../core/resource";
import { IAM_REGION } from "../account/ref";
import { IDENTITY, type IdentityKind } from "./kinds";

/**
 * A user, role or group, keyed by its name (unique per kind in the account) in IAM's `global`
 * pseudo-Region, as the IAM user ref does: CloudTrail calls name the identity, not its path, so the ARN
 * is built without a path unless the source states the real one (a Config item, CreateRole's response).
 */
export function identityRef(
  kind: IdentityKind,
  name: string,
  account: string,
  partition: string,
  arn?: string,
): ResourceRef {
  return {
    type: IDENTITY[kind].resourceType,
    id: name,
    arn: arn ?? `arn:${partition}:iam::${account}:${kind}/${name}`,
    account,
    region: IAM_REGION,
    name,
  };
}

/** The partition an ARN names (`aws`, `aws-cn`, `aws-us-gov`); `aws` when it names none. */
export function partitionOfArn(arn: string | null | undefined): string {
  return arn?.split(":")[1] || "aws";
}
