import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromDeleteAccountPublicAccessBlock, fromPutAccountPublicAccessBlock } from "./from-cloudtrail";
import { ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "PutAccountPublicAccessBlock":
        return fromPutAccountPublicAccessBlock(detail, account);
      case "DeleteAccountPublicAccessBlock":
        return fromDeleteAccountPublicAccessBlock(detail, account);
      default:
        throw new UnusableEventError(`no S3 account Block Public Access reader for ${detail.eventName}`);
    }
  },
  fromConfigItem() {
    // No check subscribes to its Config items: they arrive minutes after the call (and after Vigil's
    // restore), and would only re-play the change the CloudTrail call already reported.
    throw new UnusableEventError("AWS::S3::AccountPublicAccessBlock is not read from Config items");
  },
  async readTags() {
    // An account setting carries no tags: only config exemptions apply (observations say tagsKnown).
    return {};
  },
});
