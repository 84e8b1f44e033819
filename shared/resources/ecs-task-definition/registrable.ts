import type {
  ContainerDefinition,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition,
} from "@aws-sdk/client-ecs";

/** Fields ECS sets on a registered revision and RegisterTaskDefinition does not accept. */
type ResponseOnly = Exclude<keyof TaskDefinition, keyof RegisterTaskDefinitionCommandInput>;

/**
 * Compile-time guard: if the SDK adds a response-only field, `registrable` below would carry it
 * and this fails to compile, instead of RegisterTaskDefinition failing at run time (or a new
 * registrable field being dropped silently, which an allow-list would do).
 */
type Leftover<T> = Extract<keyof T, ResponseOnly>;
const noResponseOnlyField = <T>(value: T & (Leftover<T> extends never ? unknown : never)): T => value;

/** `aws:` tags are AWS's own (CloudFormation's stack tags, …): reserved, nobody may set them. */
export function userTags(tags: Tag[] | undefined): Tag[] {
  return (tags ?? []).filter((t) => t.key !== undefined && !t.key.toLowerCase().startsWith("aws:"));
}

/**
 * The input that registers `definition` again as a new revision of its family: every registrable
 * field as it is, the containers replaced by `containers`, and the user's tags.
 */
export function registrableCopy(
  definition: TaskDefinition,
  containers: ContainerDefinition[],
  tags: Tag[] | undefined,
): RegisterTaskDefinitionCommandInput {
  const {
    taskDefinitionArn: _arn,
    revision: _revision,
    status: _status,
    requiresAttributes: _requiresAttributes,
    compatibilities: _compatibilities,
    registeredAt: _registeredAt,
    registeredBy: _registeredBy,
    deregisteredAt: _deregisteredAt,
    deleteRequestedAt: _deleteRequestedAt,
    ...registrable
  } = definition;
  const kept = userTags(tags);
  return {
    ...noResponseOnlyField(registrable),
    family: definition.family,
    containerDefinitions: containers,
    ...(kept.length ? { tags: kept } : {}),
  };
}
