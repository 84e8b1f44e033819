import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromEncryptionByDefaultCall } from "./from-cloudtrail";
import { EBS_DEFAULT_ENCRYPTION_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: EBS_DEFAULT_ENCRYPTION_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "DisableEbsEncryptionByDefault":
      case "EnableEbsEncryptionByDefault":
        return fromEncryptionByDefaultCall(detail, account);
      default:
        throw new UnusableEventError(`no EBS encryption-by-default reader for ${detail.eventName}`);
    }
  },
  fromConfigItem() {
    // Config has no item for this setting (Security Hub judges it periodically); CloudTrail says it in real time.
    throw new UnusableEventError("AWS::EC2::EbsEncryptionByDefault is not read from Config items");
  },
  async readTags() {
    // An account setting carries no tags: only config exemptions apply (observations say tagsKnown).
    return {};
  },
});
