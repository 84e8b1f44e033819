import type { ResourceRef } from "../../core/resource";

export const ECS_TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition";

export interface TaskDefinitionArnParts {
  partition: string;
  region: string;
  account: string;
  family: string;
  revision?: number;
}

/** `arn:<partition>:ecs:<region>:<account>:task-definition/<family>[:<revision>]`; undefined for anything else. */
export function parseTaskDefinitionArn(arn: string | null | undefined): TaskDefinitionArnParts | undefined {
  const match = /^arn:([a-z-]+):ecs:([a-z0-9-]+):(\d{12}):task-definition\/([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(
    arn ?? "",
  );
  if (!match) return undefined;
  const [, partition = "", region = "", account = "", family = "", revision] = match;
  return { partition, region, account, family, ...(revision ? { revision: Number(revision) } : {}) };
}

/**
 * The finding's resource is the family, not a revision: a new revision replaces the old one, so
 * its findings must land on the same record. The family ARN (no revision) is what IAM calls "the
 * latest task definition".
 */
export function familyRef(family: string, account: string, region: string, partition = "aws"): ResourceRef {
  return {
    type: ECS_TASK_DEFINITION_TYPE,
    id: family,
    arn: `arn:${partition}:ecs:${region}:${account}:task-definition/${family}`,
    account,
    region,
    name: family,
  };
}

/** `family:revision`, how ECS and the CLI name one revision. */
export function revisionName(state: { family: string; revision: number }): string {
  return `${state.family}:${state.revision}`;
}
