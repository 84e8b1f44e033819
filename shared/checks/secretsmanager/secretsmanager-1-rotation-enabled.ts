import { defineCheck } from "../define";
import { secretReadActions, secretTriggers } from "./triggers";
import { isGovernedSecret } from "./applicability";

export default defineCheck({
  id: "SecretsManager.1",
  title: "Secrets Manager secrets should have automatic rotation enabled",
  severity: "MEDIUM",
  resourceType: "AWS::SecretsManager::Secret",
  controls: ["FSBP SecretsManager.1"],
  description:
    "A secret that never rotates stays valid for as long as anyone who ever copied it keeps it. Turn on automatic rotation (a managed rotation or a rotation function) on a schedule.",
  triggers: secretTriggers(["CreateSecret", "RotateSecret", "CancelRotateSecret"]),
  iamActions: secretReadActions,
  evaluate(state) {
    if (state.rotationEnabled !== false || !isGovernedSecret(state)) return [];
    return [
      {
        summary: `secret ${state.name} does not rotate automatically`,
        evidence: {
          secretName: state.name,
          rotationEnabled: false,
          // Left behind by CancelRotateSecret: rotation was set up once, then turned off.
          ...(state.rotationLambdaArn ? { rotationLambdaArn: state.rotationLambdaArn } : {}),
        },
      },
    ];
  },
});
