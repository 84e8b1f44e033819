import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandInput,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import { findingId } from "../../shared/findings/id";
import { valueFacts } from "../../shared/leaks/secret-values";
import { remediationById } from "../../shared/remediations/catalog";
import type { RemediationDefinition } from "../../shared/remediations/define";
import type { EcsContainer, EcsTaskDefinitionState } from "../../shared/resources/ecs-task-definition/state";
import { loadEvent } from "../support/events";
import type { TestRuntime } from "../support/runtime";

export const ACCOUNT = "111122223333";
export const FAMILY = "reporting-worker";
export const arnOf = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${family}:${revision}`;

export const context = (config: VigilConfigInput = {}) => ({ config: parseConfig(config) });

export const ecsEvent = (name: string) => loadEvent(`ecs/${name}.json`);

export const idFor = (checkId: string, family = FAMILY) =>
  findingId({ account: ACCOUNT, region: "us-east-1", checkId, resourceId: family });

/** The checks the sample registration (root, privileged, secrets in env) fails. */
export const SAMPLE_FAILS = ["ECS.4", "ECS.5", "ECS.20", "ECS.8"];
export const ALL_ECS_CHECKS = [
  "ECS.4",
  "ECS.5",
  "ECS.20",
  "ECS.8",
  "ECS.3",
  "ECS.17",
  "ECS.9",
  "VIGIL.ECS.ADDED_CAPABILITIES",
];

/** An environment variable as the state holds it: the facts about its value, not the value. */
export const env = (name: string, value: string) => ({ name, facts: valueFacts(value) });

/** A Linux container that passes every check unless overridden. */
export function container(overrides: Partial<EcsContainer> = {}): EcsContainer {
  return {
    name: "app",
    image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders/api:1.0.0",
    readonlyRootFilesystem: true,
    user: "10001:10001",
    environment: [env("AWS_REGION", "us-east-1")],
    secretNames: ["DB_PASSWORD"],
    logDriver: "awslogs",
    addedCapabilities: [],
    ...overrides,
  };
}

/** An ACTIVE revision that passes every check unless overridden. */
export function taskDef(
  overrides: Partial<EcsTaskDefinitionState> = {},
  containers: EcsContainer[] = [container()],
): EcsTaskDefinitionState {
  return {
    family: FAMILY,
    arn: arnOf(FAMILY, 7),
    revision: 7,
    status: "ACTIVE",
    networkMode: "awsvpc",
    containers,
    tags: {},
    ...overrides,
  };
}

/** What DescribeTaskDefinition answers for a registration sample: its response, with a real Date. */
export function liveDefinitionFrom(eventName: string): TaskDefinition {
  const detail = ecsEvent(eventName).detail as {
    responseElements: { taskDefinition: Record<string, unknown> };
  };
  const { registeredAt: _text, ...definition } = detail.responseElements.taskDefinition;
  return { ...(definition as TaskDefinition), registeredAt: new Date("2025-03-19T13:20:09Z") };
}

/**
 * DescribeTaskDefinition as ECS answers it: a bare family resolves to `latest` (or fails like ECS
 * when there is none); a `family:revision` or ARN resolves to that revision among `revisions`.
 */
export function stubDescribe(
  t: TestRuntime,
  latest: TaskDefinition | undefined,
  tags: Tag[] = [{ key: "team", value: "reporting" }],
  revisions: TaskDefinition[] = latest ? [latest] : [],
): void {
  t.ecs.on(DescribeTaskDefinitionCommand).callsFake((input: DescribeTaskDefinitionCommandInput) => {
    const asked = input.taskDefinition ?? "";
    const found = /:\d+$/.test(asked)
      ? revisions.find((d) => d.taskDefinitionArn === asked || d.taskDefinitionArn?.endsWith(`/${asked}`))
      : latest;
    if (!found) {
      throw Object.assign(new Error("Unable to describe task definition."), {
        name: "ClientException",
        $metadata: { httpStatusCode: 400 },
      });
    }
    return { taskDefinition: found, ...(input.include?.includes("TAGS") ? { tags } : {}) };
  });
}

export const hardenRemediation = remediationById(
  "register-hardened-task-definition",
) as RemediationDefinition<"AWS::ECS::TaskDefinition">;

type Registered = Omit<RegisterTaskDefinitionCommandInput, "tags">;

/** RegisterTaskDefinition as ECS answers it: what it registered (`answer` may change that), as `revision`. */
export function stubRegister(
  t: TestRuntime,
  revision = 8,
  answer: (input: Registered) => object = (input) => input,
): void {
  t.ecs.on(RegisterTaskDefinitionCommand).callsFake((input: RegisterTaskDefinitionCommandInput) => {
    const { tags, ...definition } = input;
    const family = definition.family ?? FAMILY;
    return {
      taskDefinition: {
        ...answer(definition),
        taskDefinitionArn: arnOf(family, revision),
        revision,
        status: "ACTIVE",
      },
      tags,
    };
  });
}
