import { defineCheck } from "../define";
import {
  activeContainers,
  containerEvidence,
  containerIn,
  taskDefinitionIamActions,
  taskDefinitionTriggers,
} from "./task-definition";

export default defineCheck({
  id: "ECS.4",
  title: "ECS containers should run as non-privileged",
  severity: "HIGH",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: ["FSBP ECS.4"],
  description:
    "A privileged container has root on the host (all devices, all capabilities): escaping it is trivial. Remove `privileged: true` and add only the capabilities the container needs.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  evaluate: (state) =>
    activeContainers(state)
      .filter((c) => c.privileged === true)
      .map((c) => ({
        summary: `${containerIn(state, c)} runs privileged`,
        evidence: { ...containerEvidence(state, c), privileged: true },
      })),
});
