import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromUserEvent } from "./from-cloudtrail";
import { hasLoginProfile, hasMfaDevice, userTags } from "./live";
import { IAM_USER_TYPE } from "./ref";

/** The reads this adapter makes: MFA devices and login profile (IAM.5 refresh), tags (exemptions). */
export const iamUserReadActions = ["iam:ListMFADevices", "iam:GetLoginProfile", "iam:ListUserTags"];

export default defineResourceAdapter({
  resourceType: IAM_USER_TYPE,
  fromCloudTrail: fromUserEvent,
  fromConfigItem() {
    // Config's IAM user items carry neither login profile nor MFA devices: the calls say more, sooner.
    throw new UnusableEventError("AWS::IAM::User is not read from Config items");
  },
  async readTags(observation, clients) {
    return userTags(await clients.iam(), observation.resource.id);
  },
  /**
   * Console access read live: the MFA devices always (an event never says none is left), the login
   * profile unless the event itself proved it (`CreateLoginProfile`: a read right after the call
   * may not see it yet, and a later DeleteLoginProfile event corrects it anyway).
   */
  async refresh(observation, clients) {
    const state = observation.state;
    if (!state?.console) return { ...observation, needsRefresh: false };
    const iam = await clients.iam();
    const mfaActive = await hasMfaDevice(iam, state.userName);
    // The user is gone since the call: nothing is left to judge (DeleteUser resolves its findings).
    if (mfaActive === undefined) return { ...observation, state: undefined, needsRefresh: false };
    const passwordEnabled = state.console.passwordEnabled ?? (await hasLoginProfile(iam, state.userName));
    const reads =
      state.console.passwordEnabled === undefined ? "GetLoginProfile + ListMFADevices" : "ListMFADevices";
    return {
      ...observation,
      state: {
        ...state,
        console: { passwordEnabled, mfaActive, source: `${state.console.source} + ${reads}` },
      },
      needsRefresh: false,
    };
  },
});
