import { defineCheck } from "../define";
import { recorderReadActions, recorderStoppedTriggers } from "./triggers";

export default defineCheck({
  id: "VIGIL.CONFIG.RECORDER_STOPPED",
  title: "AWS Config configuration recorders should keep recording",
  severity: "CRITICAL",
  resourceType: "AWS::Config::ConfigurationRecorder",
  // Config.1 / CIS 3.3 judge the whole account (and pass on Security Hub's own service-linked
  // recorder); this is one recorder going dark: related, not the same control.
  controls: [],
  description:
    "Someone stopped the Region's AWS Config recorder (StopConfigurationRecorder), so resource changes go unrecorded (related: Config.1, CIS 3.3). Vigil restarts it with StartConfigurationRecorder; find out who stopped it and why.",
  triggers: recorderStoppedTriggers,
  iamActions: recorderReadActions,
  remediation: { id: "restart-config-recorder", defaultMode: "auto" },
  tampering: true,
  undecided: (state) =>
    state.recording === undefined ? "this call does not say whether the recorder records" : undefined,
  evaluate: (state) =>
    state.recording === false
      ? [
          {
            summary: `AWS Config recorder ${state.recorderName} was stopped in ${state.region}`,
            evidence: {
              recorderName: state.recorderName,
              region: state.region,
              setting: "recording",
              recording: false,
            },
          },
        ]
      : [],
});
