import type { ConfigItem } from "../../events/config-item";
import type { Observation } from "../adapter";
import { identityFromConfig } from "../iam-identity/from-config";
import { partitionOfArn } from "../iam-identity/ref";
import { iamRoleRef } from "./ref";

/**
 * An AWS Config `AWS::IAM::Role` item: the trust policy (`assumeRolePolicyDocument`, URL-encoded), inline
 * policies (`rolePolicyList`), attached ones and tags, all whole.
 */
export function fromRoleConfigItem(item: ConfigItem): Observation<"AWS::IAM::Role"> {
  const role = identityFromConfig("role", item);
  const resource = iamRoleRef(
    role.name,
    item.awsAccountId,
    partitionOfArn(item.ARN),
    role.arn ?? item.ARN ?? undefined,
  );
  return {
    resource,
    state: role.grants
      ? {
          roleName: role.name,
          roleArn: resource.arn,
          ...(role.path ? { path: role.path } : {}),
          grants: role.grants,
          ...(role.trustDocument ? { trust: { document: role.trustDocument, source: "Config" } } : {}),
          ...(role.tags ? { tags: role.tags } : {}),
        }
      : undefined,
    complete: true,
    observedAt: role.capturedAt,
    tagsKnown: role.tags !== undefined,
  };
}
