import { defineResourceAdapter } from "../adapter";
import { identityIam } from "../iam-identity/live";
import { grantsPartial, refreshOptions } from "../iam-identity/observe";
import { refreshGrants } from "../iam-identity/refresh";
import { fromRoleEvent } from "./from-cloudtrail";
import { fromRoleConfigItem } from "./from-config";
import { IAM_ROLE_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: IAM_ROLE_TYPE,
  fromCloudTrail: fromRoleEvent,
  fromConfigItem: fromRoleConfigItem,
  async readTags(observation, clients) {
    return (await identityIam("role", await clients.iam())).tags(observation.resource.id);
  },
  /** A policy call completed live: the role's other policies of the kind the call touched. */
  async refresh(observation, clients, context) {
    const state = observation.state;
    if (!state?.grants || !grantsPartial(state.grants)) return { ...observation, needsRefresh: false };
    const grants = await refreshGrants(
      "role",
      state.roleName,
      state.grants,
      await clients.iam(),
      refreshOptions(context, false),
    );
    // The role is gone since the call (DeleteRole resolves its findings too).
    if (!grants) return { ...observation, state: undefined, complete: true, needsRefresh: false };
    return { ...observation, state: { ...state, grants }, complete: true, needsRefresh: false };
  },
});
