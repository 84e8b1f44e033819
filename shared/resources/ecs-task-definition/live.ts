import type { ECSClient, Tag, TaskDefinition } from "@aws-sdk/client-ecs";
import { loadEcs } from "../../aws/sdk";
import { stateFromDefinition } from "./definition";
import type { EcsTaskDefinitionState } from "./state";

/** The reads the adapter makes (refresh, tags): every task-definition check lists them as its iamActions. */
export const taskDefinitionReadActions = ["ecs:DescribeTaskDefinition", "ecs:ListTagsForResource"];

function errorOf(error: unknown): { name: string; message: string } {
  const e = error as { name?: string; message?: string } | undefined;
  return { name: e?.name ?? "", message: e?.message ?? "" };
}

/**
 * ECS answers a family with no ACTIVE revision (all deregistered, or never registered here) with a
 * plain `ClientException: Unable to describe task definition.`; other client errors are real errors.
 */
export function isNoSuchTaskDefinition(error: unknown): boolean {
  const { name, message } = errorOf(error);
  if (name === "ResourceNotFoundException") return true;
  return (
    (name === "ClientException" || name === "InvalidParameterException") &&
    /unable to describe task definition|does not exist|not found/i.test(message)
  );
}

/** ECS tags are `{ key, value }`; `aws:` tags are AWS's own and come along too. */
export function tagsFromApi(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).filter((t) => t.key !== undefined).map((t) => [t.key ?? "", t.value ?? ""]),
  );
}

export interface LiveTaskDefinition {
  definition: TaskDefinition;
  tags: Tag[] | undefined;
}

/**
 * The family's latest ACTIVE revision as ECS describes it, with its tags, or undefined when it has
 * none. ECS resolves a bare family name to exactly that revision, which is what every ECS
 * task-definition control evaluates and what a hardened copy must start from.
 */
export async function describeLatestActive(
  ecs: ECSClient,
  family: string,
): Promise<LiveTaskDefinition | undefined> {
  const { DescribeTaskDefinitionCommand } = await loadEcs();
  try {
    const out = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ["TAGS"] }),
    );
    return out.taskDefinition ? { definition: out.taskDefinition, tags: out.tags } : undefined;
  } catch (error) {
    if (isNoSuchTaskDefinition(error)) return undefined;
    throw error;
  }
}

/** `describeLatestActive` as the checks' state. */
export async function readLatestActive(
  ecs: ECSClient,
  family: string,
): Promise<EcsTaskDefinitionState | undefined> {
  const live = await describeLatestActive(ecs, family);
  return (
    live && stateFromDefinition(live.definition, `DescribeTaskDefinition ${family}`, tagsFromApi(live.tags))
  );
}
