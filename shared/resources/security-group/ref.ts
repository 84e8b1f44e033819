import type { ResourceRef } from "../../core/resource";

export const SECURITY_GROUP_TYPE = "AWS::EC2::SecurityGroup";

/** The name of every VPC's default group; AWS reserves it, so no other group can be called that. */
export const DEFAULT_GROUP_NAME = "default";

export function securityGroupRef(
  groupId: string,
  account: string,
  region: string,
  name?: string,
): ResourceRef {
  return {
    type: SECURITY_GROUP_TYPE,
    id: groupId,
    arn: `arn:aws:ec2:${region}:${account}:security-group/${groupId}`,
    account,
    region,
    ...(name ? { name } : {}),
  };
}
