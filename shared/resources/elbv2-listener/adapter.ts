import { defineResourceAdapter, UnusableEventError } from "../adapter";
import {
  fromCreateListener,
  fromDeleteListener,
  fromModifyListener,
  fromRuleChange,
} from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { listenerTags, liveListener } from "./live";
import { LISTENER_TYPE, listenerIdentity, listenerRef } from "./ref";

export default defineResourceAdapter({
  resourceType: LISTENER_TYPE,
  fromCloudTrail(detail) {
    switch (detail.eventName) {
      case "CreateListener":
        return fromCreateListener(detail);
      case "ModifyListener":
        return fromModifyListener(detail);
      case "DeleteListener":
        return fromDeleteListener(detail);
      case "CreateRule":
      case "ModifyRule":
      case "DeleteRule":
        return fromRuleChange(detail);
      default:
        throw new UnusableEventError(`no ELBv2 listener reader for ${detail.eventName}`);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    const state = observation.state ?? listenerIdentity(observation.resource.arn);
    return listenerTags(await clients.elbv2(), state);
  },
  /** Reads the listener (and, for HTTP, its rules): the whole listener, or its absence. */
  async refresh(observation, clients) {
    const state = await liveListener(await clients.elbv2(), observation.resource.arn);
    const resource = state
      ? listenerRef(listenerIdentity(state.listenerArn), state.port)
      : observation.resource;
    return { ...observation, resource, state, complete: true, needsRefresh: false };
  },
});
