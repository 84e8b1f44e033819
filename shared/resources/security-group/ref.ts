import type { ResourceRef } from "../../core/resource";

export const SECURITY_GROUP_TYPE = "AWS::EC2::SecurityGroup";

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
