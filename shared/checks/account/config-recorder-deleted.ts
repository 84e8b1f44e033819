import { defineCheck } from "../define";
import { recorderDeletedTriggers, recorderReadActions } from "./triggers";

/**
 * Alert only: re-creating a recorder needs its IAM role and recording scope, which the deletion
 * event doesn't carry, and a recorder created with guessed settings would record the wrong things
 * (or nothing). The finding carries who deleted it and from where.
 */
export default defineCheck({
  id: "VIGIL.CONFIG.RECORDER_DELETED",
  title: "AWS Config configuration recorders should not be deleted",
  severity: "CRITICAL",
  resourceType: "AWS::Config::ConfigurationRecorder",
  // See VIGIL.CONFIG.RECORDER_STOPPED: related to Config.1 / CIS 3.3, not the same control.
  controls: [],
  description:
    "Someone deleted the Region's AWS Config recorder (DeleteConfigurationRecorder): nothing is recorded until one is created and started again (related: Config.1, CIS 3.3). Re-create it with its role and recording scope (PutConfigurationRecorder, StartConfigurationRecorder) and investigate the actor.",
  triggers: recorderDeletedTriggers,
  iamActions: recorderReadActions,
  tampering: true,
  undecided: (state) =>
    state.deleted === undefined ? "this call does not say whether the recorder exists" : undefined,
  evaluate: (state) =>
    state.deleted
      ? [
          {
            summary: `AWS Config recorder ${state.recorderName} was deleted in ${state.region}`,
            evidence: { recorderName: state.recorderName, region: state.region, deleted: true },
          },
        ]
      : [],
});
