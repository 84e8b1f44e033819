import { defineCheck } from "../define";
import {
  activeContainers,
  containerEvidence,
  containerIn,
  isWindows,
  taskDefinitionIamActions,
  taskDefinitionTriggers,
} from "./task-definition";

export default defineCheck({
  id: "ECS.5",
  title: "ECS containers should be limited to read-only access to their root filesystems",
  severity: "HIGH",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: ["FSBP ECS.5"],
  description:
    "A writable root filesystem lets an intruder change binaries and drop tools in the container. Set `readonlyRootFilesystem: true` (absent counts as false) and mount volumes where the app must write. Windows task definitions are not evaluated.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  remediation: { id: "register-hardened-task-definition", defaultMode: "dry-run" },
  evaluate: (state) =>
    isWindows(state)
      ? []
      : activeContainers(state)
          .filter((c) => c.readonlyRootFilesystem !== true)
          .map((c) => ({
            summary: `${containerIn(state, c)} has a writable root filesystem (readonlyRootFilesystem is ${
              c.readonlyRootFilesystem === undefined ? "not set" : "false"
            })`,
            evidence: {
              ...containerEvidence(state, c),
              readonlyRootFilesystem: c.readonlyRootFilesystem ?? null,
            },
          })),
});
