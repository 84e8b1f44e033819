import { defineCheck } from "../define";
import { detectorReadActions, RESTORE_DETECTOR, updateTriggers } from "./triggers";

export default defineCheck({
  id: "VIGIL.GUARDDUTY.DISABLED",
  title: "GuardDuty detectors should not be suspended",
  severity: "CRITICAL",
  resourceType: "AWS::GuardDuty::Detector",
  // A suspended detector fails GuardDuty.1 (GuardDuty enabled) for its Region.
  controls: ["FSBP GuardDuty.1"],
  description:
    "Someone suspended GuardDuty (UpdateDetector enable=false), so threats in this Region go undetected. Vigil turns the detector back on (UpdateDetector Enable=true); find out who suspended it and why.",
  tampering: true,
  triggers: updateTriggers,
  iamActions: detectorReadActions,
  remediation: RESTORE_DETECTOR,
  undecided: (state) =>
    state.enabled === undefined ? "this call does not say whether the detector is enabled" : undefined,
  evaluate: (state) =>
    state.enabled === false
      ? [
          {
            summary: `GuardDuty detector ${state.detectorId} was suspended in ${state.region}`,
            evidence: { detectorId: state.detectorId, setting: "enabled", enabled: false },
          },
        ]
      : [],
});
