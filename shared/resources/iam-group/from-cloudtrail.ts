import type { CloudTrailDetail } from "../../events/cloudtrail";
import { partitionOf } from "../account/ref";
import { UnusableEventError, type Observation } from "../adapter";
import { grantsChangeOf } from "../iam-identity/from-cloudtrail";
import { grantsComplete } from "../iam-identity/observe";
import { iamGroupRef } from "./ref";

type GroupObservation = Observation<"AWS::IAM::Group">;

/** `Put/Delete/Attach/DetachGroupPolicy` and `DeleteGroup` (see grantsChangeOf). Groups have no tags to read. */
export function fromGroupEvent(detail: CloudTrailDetail, account: string): GroupObservation[] {
  const change = grantsChangeOf("group", detail, account);
  if (!change) throw new UnusableEventError(`no IAM group reader for ${detail.eventName}`);
  const resource = iamGroupRef(change.name, account, partitionOf(detail.awsRegion));
  const base = { resource, observedAt: detail.eventTime, tagsKnown: true };
  if (change.deleted) return [{ ...base, state: undefined, complete: true }];
  return [
    {
      ...base,
      state: { groupName: change.name, groupArn: resource.arn, grants: change.grants },
      complete: grantsComplete(change.grants),
      ...(change.needsRefresh ? { needsRefresh: true } : {}),
    },
  ];
}
