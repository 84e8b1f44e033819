import { taskDefinitionReadActions } from "../../resources/ecs-task-definition/live";
import { revisionName } from "../../resources/ecs-task-definition/ref";
import type { EcsContainer, EcsTaskDefinitionState } from "../../resources/ecs-task-definition/state";
import type { CheckTriggers } from "../define";

/** What every task-definition check watches: registrations, deregistrations (an older revision may be latest again), Config items. */
export const taskDefinitionTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "ecs.amazonaws.com", eventNames: ["RegisterTaskDefinition", "DeregisterTaskDefinition"] },
  ],
  config: ["AWS::ECS::TaskDefinition"],
};

export const taskDefinitionIamActions = taskDefinitionReadActions;

/** Security Hub evaluates only ACTIVE revisions: a deregistered one has nothing to judge. */
export function isActive(state: EcsTaskDefinitionState): boolean {
  return state.status === "ACTIVE";
}

/** `WINDOWS_SERVER_*` task definitions, to which the Linux-only controls don't apply. */
export function isWindows(state: EcsTaskDefinitionState): boolean {
  return (state.operatingSystemFamily ?? "").toUpperCase().startsWith("WINDOWS");
}

/** The containers of an ACTIVE revision; none for any other. */
export function activeContainers(state: EcsTaskDefinitionState): EcsContainer[] {
  return isActive(state) ? state.containers : [];
}

/** Where a violation is, for summaries: `container "api" in orders:7`. */
export function containerIn(state: EcsTaskDefinitionState, container: EcsContainer): string {
  return `container "${container.name}" in ${revisionName(state)}`;
}

/** The evidence every task-definition violation starts with: which revision, which container. */
export function containerEvidence(
  state: EcsTaskDefinitionState,
  container: EcsContainer,
): Record<string, unknown> {
  return { taskDefinition: state.arn, revision: state.revision, container: container.name };
}
