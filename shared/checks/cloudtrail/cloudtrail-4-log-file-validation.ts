import { defineCheck } from "../define";
import { trailReadActions, updateTriggers } from "./triggers";

export default defineCheck({
  id: "CloudTrail.4",
  title: "CloudTrail log file validation should be enabled",
  severity: "LOW",
  resourceType: "AWS::CloudTrail::Trail",
  controls: ["FSBP CloudTrail.4", "CIS 3.2"],
  description:
    "Without log file validation, edited or deleted log files go unnoticed. Vigil turns validation back on (UpdateTrail EnableLogFileValidation).",
  tampering: true,
  triggers: updateTriggers,
  iamActions: trailReadActions,
  remediation: { id: "restore-cloudtrail-logging", defaultMode: "auto" },
  undecided: (state) =>
    state.logFileValidation === undefined
      ? "this call does not say whether log file validation is on"
      : undefined,
  evaluate: (state) =>
    state.logFileValidation === false
      ? [
          {
            summary: `log file validation is off on trail ${state.trailName}`,
            evidence: { trailArn: state.trailArn, setting: "logFileValidation", logFileValidation: false },
          },
        ]
      : [],
});
