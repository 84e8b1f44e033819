import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromAclDelete, fromEntryDelete, fromEntryWrite } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { liveNetworkAcl } from "./from-ec2-api";
import { NETWORK_ACL_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: NETWORK_ACL_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "CreateNetworkAclEntry":
      case "ReplaceNetworkAclEntry":
        return fromEntryWrite(detail, account);
      case "DeleteNetworkAclEntry":
        return fromEntryDelete(detail, account);
      case "DeleteNetworkAcl":
        return fromAclDelete(detail, account);
      default:
        throw new UnusableEventError(`no network-ACL reader for ${detail.eventName}`);
    }
  },
  fromConfigItem,
  /** DescribeNetworkAcls carries the tags; an ACL that is gone has none. */
  async readTags(observation, clients) {
    const live = await liveNetworkAcl(await clients.ec2(), observation.resource.id);
    return live?.tags ?? {};
  },
  /** The whole ACL as it is now: shadowing can only be judged on every entry, in rule-number order. */
  async refresh(observation, clients) {
    if (!observation.state) return observation;
    const state = await liveNetworkAcl(await clients.ec2(), observation.resource.id);
    return { ...observation, state, complete: true, tagsKnown: true, needsRefresh: false };
  },
});
