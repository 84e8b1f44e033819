import { loadEcs } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { readLatestActive } from "../../resources/ecs-task-definition/live";
import { ECS_TASK_DEFINITION_TYPE, familyRef } from "../../resources/ecs-task-definition/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** ListTaskDefinitionFamilies takes up to 100 per page. */
const PAGE_SIZE = 100;

/**
 * Every task-definition family with an ACTIVE revision, as its latest ACTIVE revision (what the
 * ECS controls and the event path judge: DescribeTaskDefinition on the bare family name, tags
 * included). A family whose last ACTIVE revision was deregistered meanwhile is skipped (its
 * findings then resolve as for a deleted resource).
 */
export function ecsTaskDefinitionsCollector(pageSize = PAGE_SIZE): Collector<"AWS::ECS::TaskDefinition"> {
  return defineCollector({
    resourceType: ECS_TASK_DEFINITION_TYPE,
    scope: "regional",
    // Tags come with DescribeTaskDefinition (`include: ["TAGS"]`): no ListTagsForResource call.
    iamActions: ["ecs:ListTaskDefinitionFamilies", "ecs:DescribeTaskDefinition"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::ECS::TaskDefinition">> {
      const [ecs, { paginateListTaskDefinitionFamilies }] = await Promise.all([ctx.clients.ecs(), loadEcs()]);
      const observedAt = ctx.now.toISOString();
      const pages = paginateListTaskDefinitionFamilies(
        { client: ecs },
        { status: "ACTIVE", maxResults: pageSize },
      );
      for await (const page of pages) {
        for (const family of page.families ?? []) {
          const state = await readLatestActive(ecs, family);
          if (!state) continue;
          yield {
            resource: familyRef(family, ctx.account, ctx.region, ctx.partition),
            state,
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default ecsTaskDefinitionsCollector();
