import { taskDefinitionReadActions } from "../../resources/ecs-task-definition/live";
import { revisionName } from "../../resources/ecs-task-definition/ref";
import type { EcsContainer, EcsTaskDefinitionState } from "../../resources/ecs-task-definition/state";
import type { CheckTriggers, Violation } from "../define";

/** What every task-definition check watches: registrations, deregistrations (an older revision may be latest again), Config items. */
export const taskDefinitionTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "ecs.amazonaws.com", eventNames: ["RegisterTaskDefinition", "DeregisterTaskDefinition"] },
  ],
  config: ["AWS::ECS::TaskDefinition"],
};

export const taskDefinitionIamActions = taskDefinitionReadActions;

/** Security Hub evaluates only ACTIVE revisions: a deregistered one has nothing to judge. */
function isActive(state: EcsTaskDefinitionState): boolean {
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

/**
 * ECS.3 and ECS.17: a task-level mode set to `host` puts every container in one of the host's
 * namespaces (processes, network). Unlike ECS.5 and ECS.20, neither control exempts Windows families.
 */
export function hostModeViolations(
  state: EcsTaskDefinitionState,
  mode: "pidMode" | "networkMode",
  consequence: string,
): Violation[] {
  if (!isActive(state) || state[mode] !== "host") return [];
  return [
    {
      summary: `${revisionName(state)} ${consequence} (${mode}: host)`,
      evidence: { taskDefinition: state.arn, revision: state.revision, [mode]: "host" },
    },
  ];
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
