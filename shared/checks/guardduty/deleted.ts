import { defineCheck } from "../define";
import { deletionTriggers, detectorReadActions, RESTORE_DETECTOR } from "./triggers";

/**
 * The deletion is the violation (the state says `deleted: true`; see DetectorState). The finding
 * carries who deleted it (the pipeline records the CloudTrail actor). The old detector and its
 * findings can't come back: the remediation creates a new, enabled one when the Region has none.
 */
export default defineCheck({
  id: "VIGIL.GUARDDUTY.DELETED",
  title: "GuardDuty detectors should not be deleted",
  severity: "CRITICAL",
  resourceType: "AWS::GuardDuty::Detector",
  // No detector left fails GuardDuty.1 (GuardDuty enabled) for its Region.
  controls: ["FSBP GuardDuty.1"],
  description:
    "Someone deleted the GuardDuty detector (DeleteDetector): threat detection stops in this Region and its findings are gone. Vigil creates a new enabled detector when none is left; investigate the actor.",
  tampering: true,
  triggers: deletionTriggers,
  iamActions: detectorReadActions,
  remediation: RESTORE_DETECTOR,
  undecided: (state) =>
    state.deleted === undefined ? "this call does not say whether the detector was deleted" : undefined,
  evaluate: (state) =>
    state.deleted
      ? [
          {
            summary: `GuardDuty detector ${state.detectorId} was deleted in ${state.region}`,
            evidence: { detectorId: state.detectorId, setting: "deleted", deleted: true },
          },
        ]
      : [],
});
