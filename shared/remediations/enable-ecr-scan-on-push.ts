import { defineRemediation } from "./define";

/** Placeholder until this remediation lands; no check refers to it yet. */
export default defineRemediation({
  id: "enable-ecr-scan-on-push",
  title: "Turn scan-on-push back on",
  resourceType: "AWS::ECR::Repository",
  iamActions: [],
  undoIamActions: [],
  disruptive: false,
  async apply() {
    throw new Error("enable-ecr-scan-on-push is not implemented yet");
  },
  async undo() {
    throw new Error("enable-ecr-scan-on-push is not implemented yet");
  },
});
