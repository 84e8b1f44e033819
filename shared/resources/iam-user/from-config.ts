import type { ConfigItem } from "../../events/config-item";
import type { Observation } from "../adapter";
import { identityFromConfig } from "../iam-identity/from-config";
import { partitionOfArn } from "../iam-identity/ref";
import { iamUserRef } from "./ref";

/**
 * An AWS Config `AWS::IAM::User` item: the user's inline policies (`userPolicyList`) and attached ones
 * (`attachedManagedPolicies`), whole. It carries neither login profile nor MFA devices, so IAM.5 and the
 * credential checks stay undecided on it.
 */
export function fromUserConfigItem(item: ConfigItem): Observation<"AWS::IAM::User"> {
  const user = identityFromConfig("user", item);
  const resource = iamUserRef(
    user.name,
    item.awsAccountId,
    partitionOfArn(item.ARN),
    user.arn ?? item.ARN ?? undefined,
  );
  return {
    resource,
    state: user.grants
      ? {
          userName: user.name,
          userArn: resource.arn,
          grants: user.grants,
          ...(user.tags ? { tags: user.tags } : {}),
        }
      : undefined,
    complete: true,
    observedAt: user.capturedAt,
    tagsKnown: user.tags !== undefined,
  };
}
