import { defineRemediation } from "./define";

/** Placeholder until this remediation lands; no check refers to it yet. */
export default defineRemediation({
  id: "restore-cloudtrail-logging",
  title: "Restore CloudTrail logging",
  resourceType: "AWS::CloudTrail::Trail",
  iamActions: [],
  undoIamActions: [],
  disruptive: false,
  async apply() {
    throw new Error("restore-cloudtrail-logging is not implemented yet");
  },
  async undo() {
    throw new Error("restore-cloudtrail-logging is not implemented yet");
  },
});
