import { defineCheck } from "../define";
import { runsAsRoot } from "./container-user";
import {
  activeContainers,
  containerEvidence,
  containerIn,
  isWindows,
  taskDefinitionIamActions,
  taskDefinitionTriggers,
} from "./task-definition";

export default defineCheck({
  id: "ECS.20",
  title: "ECS task definitions should configure non-root users in Linux container definitions",
  severity: "MEDIUM",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: ["SecurityHub ECS.20"],
  description:
    "A container running as root turns any code execution into root in the container, one kernel bug away from the host. Set `user` to a non-root uid (absent, `root` and `0` fail). Windows task definitions are not evaluated. Its place in FSBP is unconfirmed.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  remediation: { id: "register-hardened-task-definition", defaultMode: "dry-run" },
  evaluate: (state, context) =>
    isWindows(state)
      ? []
      : activeContainers(state)
          .filter((c) => runsAsRoot(c.user))
          .map((c) => ({
            summary: `${containerIn(state, c)} runs as root (${c.user === undefined ? "no user set" : `user "${c.user}"`})`,
            evidence: {
              ...containerEvidence(state, c),
              user: c.user ?? null,
              // What the remediation would set (config `containers.taskDefinitions.nonRootUser`).
              replacementUser: context.config.containers.taskDefinitions.nonRootUser,
            },
          })),
});
