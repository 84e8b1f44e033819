import { loadEcs } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromDeregister, fromRegister } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { isNoSuchTaskDefinition, readLatestActive, tagsFromApi } from "./live";
import { ECS_TASK_DEFINITION_TYPE } from "./ref";

/**
 * Task-definition families. Every observation is confirmed by reading the family's latest ACTIVE
 * revision (see from-cloudtrail.ts): that read, not the event's revision, is what the checks judge.
 */
export default defineResourceAdapter({
  resourceType: ECS_TASK_DEFINITION_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "RegisterTaskDefinition":
        return fromRegister(detail, account);
      case "DeregisterTaskDefinition":
        return fromDeregister(detail, account);
      default:
        throw new UnusableEventError(`no task-definition reader for ${detail.eventName}`);
    }
  },
  fromConfigItem,
  async readTags(observation, clients) {
    const arn = observation.state?.arn;
    if (!arn) return {};
    const [ecs, { ListTagsForResourceCommand }] = await Promise.all([clients.ecs(), loadEcs()]);
    try {
      const out = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
      return tagsFromApi(out.tags);
    } catch (error) {
      // A revision that is gone has no tags and nothing left to remediate.
      if (isNoSuchTaskDefinition(error)) return {};
      throw error;
    }
  },
  async refresh(observation, clients) {
    const state = await readLatestActive(await clients.ecs(), observation.resource.id);
    return {
      ...observation,
      // No ACTIVE revision left: the family is gone, as far as the controls are concerned.
      state,
      complete: true,
      // The read is what is true now; ordering against other observations is by this instant.
      observedAt: new Date().toISOString(),
      tagsKnown: true,
      needsRefresh: false,
    };
  },
});
