import { defineCheck } from "../define";
import {
  activeContainers,
  containerEvidence,
  containerIn,
  taskDefinitionIamActions,
  taskDefinitionTriggers,
} from "./task-definition";

export default defineCheck({
  id: "ECS.9",
  title: "ECS task definitions should have a logging configuration in every container",
  severity: "HIGH",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: ["FSBP ECS.9"],
  description:
    "A container without `logConfiguration` (or without its `logDriver`) leaves no logs outside its host: nothing to investigate an incident with. Set a log driver such as `awslogs` on every container.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  evaluate: (state) =>
    activeContainers(state)
      .filter((c) => !c.logDriver)
      .map((c) => ({
        summary: `${containerIn(state, c)} has no log configuration`,
        evidence: { ...containerEvidence(state, c), logDriver: null },
      })),
});
