import { defineCheck } from "../define";
import { hostModeViolations, taskDefinitionIamActions, taskDefinitionTriggers } from "./task-definition";

export default defineCheck({
  id: "ECS.17",
  title: "ECS task definitions should not use host network mode",
  severity: "MEDIUM",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: ["SecurityHub ECS.17"],
  description:
    "In `host` network mode the containers share the host's network stack: they reach everything the host reaches (instance metadata included) and bind its ports directly. Use `awsvpc` (or `bridge`). Its place in FSBP is unconfirmed.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  evaluate: (state) => hostModeViolations(state, "networkMode", "uses the host's network stack"),
});
