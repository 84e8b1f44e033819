/** The parts of the ECS SDK Vigil uses; only ever imported through `loadEcs()` (./sdk). */
export {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  // The sweep's listing (shared/sweep/collectors/ecs-task-definitions.ts).
  paginateListTaskDefinitionFamilies,
} from "@aws-sdk/client-ecs";
