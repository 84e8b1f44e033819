import { revisionName } from "../../resources/ecs-task-definition/ref";
import { defineCheck } from "../define";
import { isActive, taskDefinitionIamActions, taskDefinitionTriggers } from "./task-definition";

export default defineCheck({
  id: "ECS.3",
  title: "ECS task definitions should not share the host's process namespace",
  severity: "HIGH",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: ["FSBP ECS.3"],
  description:
    "With `pidMode: host` the containers see and can signal every process on the host, and with ptrace or root can inspect them. Remove `pidMode` or use `task`.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  evaluate: (state) =>
    isActive(state) && state.pidMode === "host"
      ? [
          {
            summary: `${revisionName(state)} shares the host's process namespace (pidMode: host)`,
            evidence: { taskDefinition: state.arn, revision: state.revision, pidMode: state.pidMode },
          },
        ]
      : [],
});
