import { defineRemediation } from "./define";

/** Placeholder until this remediation lands; no check refers to it yet. */
export default defineRemediation({
  id: "register-hardened-task-definition",
  title: "Register a hardened task-definition revision",
  resourceType: "AWS::ECS::TaskDefinition",
  iamActions: [],
  undoIamActions: [],
  disruptive: false,
  async apply() {
    throw new Error("register-hardened-task-definition is not implemented yet");
  },
  async undo() {
    throw new Error("register-hardened-task-definition is not implemented yet");
  },
});
