import { judgeFacts } from "../../leaks/scan-env";
import type { EcsContainer, EcsTaskDefinitionState } from "../../resources/ecs-task-definition/state";
import type { CheckContext, Violation } from "../define";
import { defineCheck } from "../define";
import {
  activeContainers,
  containerEvidence,
  containerIn,
  taskDefinitionIamActions,
  taskDefinitionTriggers,
} from "./task-definition";

/** ECS.8's fixed `secretKeys` (not customizable in Security Hub): set at all, they are credentials. */
export const ECS8_SECRET_KEYS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"];

/** One container's plain-text secrets: name, why, value length; never the value. */
function containerLeaks(
  state: EcsTaskDefinitionState,
  container: EcsContainer,
  context: CheckContext,
): Violation[] {
  const options = {
    acceptedNames: context.config.containers.images.acceptedEnvNames,
    alwaysSecretNames: ECS8_SECRET_KEYS,
  };
  const leaks = container.environment.flatMap((v) => {
    const leak = v.facts && judgeFacts(v.name, v.facts, "environment", options);
    return leak
      ? [{ name: v.name, reason: leak.reason, valueLength: leak.valueLength as number | undefined }]
      : [];
  });
  // A value CloudTrail hid can't be judged, except for the fixed keys, which count whatever they hold.
  const hidden = container.environment
    .filter((v) => v.facts === undefined && ECS8_SECRET_KEYS.includes(v.name))
    .map((v) => ({
      name: v.name,
      reason: `${v.name} is a credential and must not be set in plain text`,
      valueLength: undefined,
    }));
  return [...leaks, ...hidden].map((leak) => ({
    summary: `${containerIn(state, container)} sets ${leak.name} in plain-text environment: ${leak.reason}${
      leak.valueLength === undefined ? "" : ` (${leak.valueLength} characters)`
    }`,
    evidence: {
      ...containerEvidence(state, container),
      location: "environment",
      variable: leak.name,
      reason: leak.reason,
      ...(leak.valueLength === undefined ? { valueHidden: true } : { valueLength: leak.valueLength }),
    },
  }));
}

export default defineCheck({
  id: "ECS.8",
  title: "Secrets should not be passed as container environment variables",
  severity: "HIGH",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: ["FSBP ECS.8"],
  description:
    "Plain-text `environment` values are readable by anyone who can describe the task definition, and stay in every revision. Move them to `secrets` with `valueFrom` (Secrets Manager or SSM Parameter Store). Flags AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and ECS_ENGINE_AUTH_DATA set to any value (Security Hub also fails them empty), secret-like names with values and credential-shaped values; `environmentFiles` are not read.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  evaluate: (state, context) => activeContainers(state).flatMap((c) => containerLeaks(state, c, context)),
});
