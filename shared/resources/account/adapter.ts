import { loadIam } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromRootEvent } from "./from-cloudtrail";
import { ACCOUNT_TYPE } from "./ref";

/** The one read this adapter makes: whether the root user still has an access key (after a deletion). */
export const accountReadActions = ["iam:GetAccountSummary"];

export default defineResourceAdapter({
  resourceType: ACCOUNT_TYPE,
  fromCloudTrail: fromRootEvent,
  fromConfigItem() {
    throw new UnusableEventError("AWS::::Account is not read from Config items");
  },
  async readTags() {
    // The account carries no tags here: only config exemptions apply (observations say tagsKnown).
    return {};
  },
  /** After the root user deleted one of its keys: does it still have the other? (AccountAccessKeysPresent) */
  async refresh(observation, clients) {
    const [iam, { GetAccountSummaryCommand }] = await Promise.all([clients.iam(), loadIam()]);
    const out = await iam.send(new GetAccountSummaryCommand({}));
    const present = out.SummaryMap?.AccountAccessKeysPresent;
    const state = observation.state;
    if (!state || present === undefined) return { ...observation, needsRefresh: false };
    return {
      ...observation,
      state: { ...state, rootAccessKeys: { present: present > 0, source: "GetAccountSummary" } },
      needsRefresh: false,
    };
  },
});
