import { defineRemediation } from "./define";

/** Placeholder until this remediation lands; no check refers to it yet. */
export default defineRemediation({
  id: "restore-guardduty-detector",
  title: "Re-enable GuardDuty",
  resourceType: "AWS::GuardDuty::Detector",
  iamActions: [],
  undoIamActions: [],
  disruptive: false,
  async apply() {
    throw new Error("restore-guardduty-detector is not implemented yet");
  },
  async undo() {
    throw new Error("restore-guardduty-detector is not implemented yet");
  },
});
