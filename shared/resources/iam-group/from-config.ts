import type { ConfigItem } from "../../events/config-item";
import type { Observation } from "../adapter";
import { identityFromConfig } from "../iam-identity/from-config";
import { partitionOfArn } from "../iam-identity/ref";
import { iamGroupRef } from "./ref";

/** An AWS Config `AWS::IAM::Group` item: inline policies (`groupPolicyList`) and attached ones, whole. */
export function fromGroupConfigItem(item: ConfigItem): Observation<"AWS::IAM::Group"> {
  const group = identityFromConfig("group", item);
  const resource = iamGroupRef(
    group.name,
    item.awsAccountId,
    partitionOfArn(item.ARN),
    group.arn ?? item.ARN ?? undefined,
  );
  return {
    resource,
    state: group.grants ? { groupName: group.name, groupArn: resource.arn, grants: group.grants } : undefined,
    complete: true,
    observedAt: group.capturedAt,
    // Groups carry no tags: nothing to read.
    tagsKnown: true,
  };
}
