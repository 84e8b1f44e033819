import { defineCheck } from "../define";
import { secretReadActions } from "./triggers";
import { isGovernedSecret } from "./applicability";
import { dateOnly, daysBetween, moreThanDaysApart } from "./ages";
import { SECRET_TYPE } from "../../resources/secret/ref";

export default defineCheck({
  id: "SecretsManager.3",
  title: "Remove unused Secrets Manager secrets",
  severity: "MEDIUM",
  resourceType: "AWS::SecretsManager::Secret",
  controls: ["FSBP SecretsManager.3"],
  description:
    "A secret nobody reads is a credential nobody needs that still works for whoever holds a copy. Confirm it is unused, revoke the credential it holds, then delete the secret.",
  // Periodic: ages grow without any event. It is judged on every complete view of a secret
  // (a Config item or any call above, each read live); the sweep schedules the rest.
  triggers: { cloudTrail: [], config: [SECRET_TYPE] },
  iamActions: secretReadActions,
  evaluate(state, { config }) {
    if (!isGovernedSecret(state)) return [];
    const limit = config.secretsManager.unusedForDays;
    const accessed = state.lastAccessedDate;
    if (accessed) {
      // Secrets Manager keeps the day of the last read only: the read may have been up to a day later.
      if (!moreThanDaysApart(accessed, state.asOf, limit + 1)) return [];
      return [
        {
          summary: `secret ${state.name} has not been read for ${daysBetween(accessed, state.asOf)} days (last read ${dateOnly(accessed)}; limit ${limit} days)`,
          evidence: {
            secretName: state.name,
            lastAccessedDate: accessed,
            daysUnused: daysBetween(accessed, state.asOf),
            unusedForDays: limit,
          },
        },
      ];
    }
    const created = state.createdDate;
    if (!created || !moreThanDaysApart(created, state.asOf, limit)) return [];
    return [
      {
        summary: `secret ${state.name} has never been read since it was created ${daysBetween(created, state.asOf)} days ago (limit ${limit} days)`,
        evidence: {
          secretName: state.name,
          lastAccessedDate: null,
          createdDate: created,
          daysUnused: daysBetween(created, state.asOf),
          unusedForDays: limit,
        },
      },
    ];
  },
});
