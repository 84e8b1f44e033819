import type { CheckContext } from "../../checks/define";
import { defineResourceAdapter, type Observation, type ReadClients } from "../adapter";
import { grantsPartial, refreshOptions } from "../iam-identity/observe";
import { refreshGrants } from "../iam-identity/refresh";
import { fromUserEvent } from "./from-cloudtrail";
import { fromUserConfigItem } from "./from-config";
import { hasLoginProfile, hasMfaDevice, userTags } from "./live";
import { IAM_USER_TYPE } from "./ref";

type UserObservation = Observation<"AWS::IAM::User">;

/** The reads this adapter makes: MFA devices and login profile (IAM.5 refresh), tags (exemptions). */
export const iamUserReadActions = ["iam:ListMFADevices", "iam:GetLoginProfile", "iam:ListUserTags"];

/**
 * Console access read live: the MFA devices always (an event never says none is left), the login
 * profile unless the event itself proved it (`CreateLoginProfile`: a read right after the call
 * may not see it yet, and a later DeleteLoginProfile event corrects it anyway).
 */
async function refreshConsole(observation: UserObservation, clients: ReadClients): Promise<UserObservation> {
  const state = observation.state;
  if (!state?.console) return observation;
  const iam = await clients.iam();
  const mfaActive = await hasMfaDevice(iam, state.userName);
  // The user is gone since the call: nothing is left to judge (DeleteUser resolves its findings).
  if (mfaActive === undefined) return { ...observation, state: undefined };
  const passwordEnabled = state.console.passwordEnabled ?? (await hasLoginProfile(iam, state.userName));
  const reads =
    state.console.passwordEnabled === undefined ? "GetLoginProfile + ListMFADevices" : "ListMFADevices";
  return {
    ...observation,
    state: {
      ...state,
      console: { passwordEnabled, mfaActive, source: `${state.console.source} + ${reads}` },
    },
  };
}

/**
 * A policy call completed live: the user's other policies of the kind the call touched (their documents),
 * and the names of the other kind (IAM.2 resolves only when the user has none of either left).
 */
async function refreshPolicies(
  observation: UserObservation,
  clients: ReadClients,
  context: CheckContext | undefined,
): Promise<UserObservation> {
  const state = observation.state;
  if (!state || !grantsPartial(state.grants) || !state.grants) return observation;
  const grants = await refreshGrants(
    "user",
    state.userName,
    state.grants,
    await clients.iam(),
    refreshOptions(context, true),
  );
  if (!grants) return { ...observation, state: undefined, complete: true };
  return { ...observation, state: { ...state, grants }, complete: true };
}

export default defineResourceAdapter({
  resourceType: IAM_USER_TYPE,
  fromCloudTrail: fromUserEvent,
  fromConfigItem: fromUserConfigItem,
  async readTags(observation, clients) {
    return userTags(await clients.iam(), observation.resource.id);
  },
  async refresh(observation, clients, context) {
    const policies = await refreshPolicies(observation, clients, context);
    const console = await refreshConsole(policies, clients);
    return { ...console, needsRefresh: false };
  },
});
