import { defineCheck } from "../define";
import { loggingTriggers, trailReadActions } from "./triggers";

export default defineCheck({
  id: "VIGIL.CLOUDTRAIL.LOGGING_STOPPED",
  title: "CloudTrail trails should keep logging",
  severity: "CRITICAL",
  resourceType: "AWS::CloudTrail::Trail",
  // CIS 3.1 / CloudTrail.1 judge the account's multi-Region trail, not any one trail: no exact match.
  controls: [],
  description:
    "Someone stopped a trail's logging (StopLogging), a classic first move to act unrecorded. Vigil restarts it with StartLogging; find out who stopped it and why.",
  tampering: true,
  triggers: loggingTriggers,
  iamActions: trailReadActions,
  remediation: { id: "restore-cloudtrail-logging", defaultMode: "auto" },
  undecided: (state) =>
    state.logging === undefined ? "this call does not say whether the trail logs" : undefined,
  evaluate: (state) =>
    state.logging === false
      ? [
          {
            summary: `logging stopped on trail ${state.trailName}`,
            evidence: { trailArn: state.trailArn, setting: "logging", logging: false },
          },
        ]
      : [],
});
