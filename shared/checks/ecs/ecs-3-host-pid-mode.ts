import { defineCheck } from "../define";
import { hostModeViolations, taskDefinitionIamActions, taskDefinitionTriggers } from "./task-definition";

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
  evaluate: (state) => hostModeViolations(state, "pidMode", "shares the host's process namespace"),
});
