import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromDeletePolicy, fromUpdatePolicy } from "./from-cloudtrail";
import { PASSWORD_POLICY_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: PASSWORD_POLICY_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "UpdateAccountPasswordPolicy":
        return fromUpdatePolicy(detail, account);
      case "DeleteAccountPasswordPolicy":
        return fromDeletePolicy(detail, account);
      default:
        throw new UnusableEventError(`no password policy reader for ${detail.eventName}`);
    }
  },
  fromConfigItem() {
    throw new UnusableEventError("AWS::IAM::AccountPasswordPolicy is not a Config resource type");
  },
  async readTags() {
    // The password policy carries no tags: only config exemptions apply (observations say tagsKnown).
    return {};
  },
});
