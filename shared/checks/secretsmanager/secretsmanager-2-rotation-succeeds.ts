import type { Violation } from "../define";
import { defineCheck } from "../define";
import { ROTATION_FAILED, ROTATION_SUCCEEDED } from "../../resources/secret/from-cloudtrail";
import { secretReadActions, secretTriggers } from "./triggers";
import { isGovernedSecret } from "./applicability";
import { dateOnly, moreThanDaysApart } from "./ages";

/** Secrets Manager rotates within a window on the due date; a day later it is late, not busy. */
const OVERDUE_AFTER_DAYS = 1;

export default defineCheck({
  id: "SecretsManager.2",
  title: "Secrets Manager secrets configured with automatic rotation should rotate successfully",
  severity: "MEDIUM",
  resourceType: "AWS::SecretsManager::Secret",
  controls: ["FSBP SecretsManager.2"],
  description:
    "Rotation is configured but does not happen, so the secret is older than its schedule promises. Check the rotation function's CloudWatch logs, its permissions and its network access to the service it rotates, then rotate again.",
  triggers: secretTriggers([ROTATION_FAILED, ROTATION_SUCCEEDED, "RotateSecret", "CancelRotateSecret"]),
  iamActions: secretReadActions,
  evaluate(state) {
    // Secrets without rotation are SecretsManager.1's; this control only judges configured rotation.
    if (state.rotationEnabled === false || !isGovernedSecret(state)) return [];
    const violations: Violation[] = [];
    const failure = state.rotationFailure;
    if (failure) {
      violations.push({
        summary: `rotation of secret ${state.name} failed${failure.step ? ` in the ${failure.step} step` : ""}`,
        evidence: {
          secretName: state.name,
          failedAt: failure.at,
          ...(failure.step ? { failedStep: failure.step } : {}),
          ...((failure.lambdaArn ?? state.rotationLambdaArn)
            ? { rotationLambdaArn: failure.lambdaArn ?? state.rotationLambdaArn }
            : {}),
        },
      });
    }
    if (state.rotationEnabled !== true) return violations;
    if (state.pendingRotation?.stuck) {
      violations.push({
        summary: `secret ${state.name} has a rotation that never finished: a version is still staged AWSPENDING, and Secrets Manager starts no new rotation until it is cleared`,
        evidence: {
          secretName: state.name,
          ...(state.pendingRotation.since ? { pendingSince: state.pendingRotation.since } : {}),
        },
      });
    }
    const due = state.nextRotationDate;
    if (due && moreThanDaysApart(due, state.asOf, OVERDUE_AFTER_DAYS)) {
      violations.push({
        summary: `secret ${state.name} missed its scheduled rotation (due by ${dateOnly(due)})`,
        evidence: {
          secretName: state.name,
          nextRotationDate: due,
          lastRotatedDate: state.lastRotatedDate ?? null,
          ...(state.rotationRules ? { rotationRules: state.rotationRules } : {}),
        },
      });
    }
    return violations;
  },
});
