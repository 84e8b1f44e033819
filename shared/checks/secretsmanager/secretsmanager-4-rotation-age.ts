import { defineCheck } from "../define";
import { secretReadActions } from "./triggers";
import { isGovernedSecret } from "./applicability";
import { daysBetween, moreThanDaysApart } from "./ages";
import { SECRET_TYPE } from "../../resources/secret/ref";

export default defineCheck({
  id: "SecretsManager.4",
  title: "Secrets Manager secrets should be rotated within a specified number of days",
  severity: "MEDIUM",
  resourceType: "AWS::SecretsManager::Secret",
  controls: ["FSBP SecretsManager.4"],
  description:
    "The secret's value is older than the allowed rotation period. Rotate it now and schedule automatic rotation within the period.",
  // Periodic, like SecretsManager.3: judged on every complete view of a secret; the sweep does the rest.
  triggers: { cloudTrail: [], config: [SECRET_TYPE] },
  iamActions: secretReadActions,
  evaluate(state, { config }) {
    if (!isGovernedSecret(state)) return [];
    const limit = config.secretsManager.maxDaysSinceRotation;
    const rotated = state.lastRotatedDate;
    const since = rotated ?? state.createdDate;
    if (!since || !moreThanDaysApart(since, state.asOf, limit)) return [];
    const days = daysBetween(since, state.asOf);
    return [
      {
        summary: rotated
          ? `secret ${state.name} was last rotated ${days} days ago (limit ${limit} days)`
          : `secret ${state.name} has never been rotated since it was created ${days} days ago (limit ${limit} days)`,
        evidence: {
          secretName: state.name,
          lastRotatedDate: rotated ?? null,
          ...(rotated ? {} : { createdDate: since }),
          daysSinceRotation: days,
          maxDaysSinceRotation: limit,
        },
      },
    ];
  },
});
