import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { ACCOUNT_REGION_TYPE } from "./ref";

/**
 * An account in a Region is only ever observed by the sweep (shared/sweep/collectors/account-region.ts):
 * no single event says "nothing in this Region records", so events are refused.
 */
export default defineResourceAdapter({
  resourceType: ACCOUNT_REGION_TYPE,
  fromCloudTrail() {
    throw new UnusableEventError("only the sweep observes this");
  },
  fromConfigItem() {
    throw new UnusableEventError("only the sweep observes this");
  },
  async readTags() {
    // Not a taggable resource: only config exemptions apply (observations say tagsKnown).
    return {};
  },
});
