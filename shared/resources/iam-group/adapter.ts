import { defineResourceAdapter } from "../adapter";
import { grantsPartial, refreshOptions } from "../iam-identity/observe";
import { refreshGrants } from "../iam-identity/refresh";
import { fromGroupEvent } from "./from-cloudtrail";
import { fromGroupConfigItem } from "./from-config";
import { IAM_GROUP_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: IAM_GROUP_TYPE,
  fromCloudTrail: fromGroupEvent,
  fromConfigItem: fromGroupConfigItem,
  async readTags() {
    // IAM groups can't be tagged: only config exemptions apply (observations say tagsKnown).
    return {};
  },
  /** A policy call completed live: the group's other policies of the kind the call touched. */
  async refresh(observation, clients, context) {
    const state = observation.state;
    if (!state?.grants || !grantsPartial(state.grants)) return { ...observation, needsRefresh: false };
    const grants = await refreshGrants(
      "group",
      state.groupName,
      state.grants,
      await clients.iam(),
      refreshOptions(context, false),
    );
    if (!grants) return { ...observation, state: undefined, complete: true, needsRefresh: false };
    return { ...observation, state: { ...state, grants }, complete: true, needsRefresh: false };
  },
});
