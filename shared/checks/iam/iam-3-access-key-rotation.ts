import { iamUserReadActions } from "../../resources/iam-user/adapter";
import { defineCheck } from "../define";
import { oldKeyViolations, withoutReport } from "./credentials";
import { iamSettings } from "./settings";
import { credentialTriggers } from "./triggers";

export default defineCheck({
  id: "IAM.3",
  title: "IAM users' access keys should be rotated every 90 days or less",
  severity: "MEDIUM",
  resourceType: "AWS::IAM::User",
  controls: ["FSBP IAM.3", "CIS 1.14"],
  description:
    "An active access key is older than the rotation limit (90 days by default): the longer a key lives, the longer a leaked copy works. Create a new key, move its users over, then deactivate and delete the old one. Vigil can deactivate the old key (dry-run by default).",
  triggers: credentialTriggers,
  iamActions: iamUserReadActions,
  remediation: { id: "deactivate-access-key", defaultMode: "dry-run" },
  undecided: withoutReport,
  evaluate: (state, { config }) => oldKeyViolations(state, iamSettings(config).maxAccessKeyAge),
});
