import type { EC2Client } from "@aws-sdk/client-ec2";
import type { Observation } from "../adapter";
import { describeGroup, liveRules } from "./from-ec2-api";
import { DEFAULT_GROUP_NAME } from "./ref";

type GroupObservation = Observation<"AWS::EC2::SecurityGroup">;

/**
 * For events that may concern a VPC's default group (egress, or a call addressed by the name
 * `default`): one DescribeSecurityGroups names the group and gives its tags; only a default group
 * then has all its rules read (with ids), as EC2.2 judges the whole rule set, never the event's part.
 */
export async function refreshWholeGroup(
  observation: GroupObservation,
  ec2: EC2Client,
): Promise<GroupObservation> {
  const state = observation.state;
  if (!state) return observation;
  const { confirm: _done, ...rest } = state;
  const group = await describeGroup(ec2, state.groupId);
  if (!group) {
    // Deleted since the call: nothing of it is left to judge (its findings resolve).
    return { ...observation, state: undefined, complete: true, tagsKnown: true, needsRefresh: false };
  }
  const named = { ...rest, ...group };
  if (group.groupName !== DEFAULT_GROUP_NAME) {
    // Not a default group: the event's own rules are all there is to judge, as for any ingress call.
    return { ...observation, state: named, tagsKnown: true, needsRefresh: false };
  }
  const { ingress, egress } = await liveRules(ec2, state.groupId);
  return {
    ...observation,
    resource: { ...observation.resource, name: DEFAULT_GROUP_NAME },
    state: { ...named, ingress, egress },
    complete: true,
    tagsKnown: true,
    needsRefresh: false,
  };
}
