import { iamUserReadActions } from "../../resources/iam-user/adapter";
import { defineCheck } from "../define";
import { unusedViolations, withoutReport } from "./credentials";
import { iamSettings } from "./settings";
import { credentialTriggers } from "./triggers";

export default defineCheck({
  id: "IAM.8",
  title: "Unused IAM user credentials should be removed",
  severity: "MEDIUM",
  resourceType: "AWS::IAM::User",
  controls: ["FSBP IAM.8", "CIS 1.2.0 1.3"],
  description:
    "A console password or active access key has not been used for 90 days (by default): nobody needs it, yet it still works for whoever holds it. Remove it. Vigil can deactivate unused keys (dry-run by default); passwords are left to you.",
  triggers: credentialTriggers,
  iamActions: iamUserReadActions,
  remediation: { id: "deactivate-access-key", defaultMode: "dry-run" },
  undecided: withoutReport,
  evaluate: (state, { config }) => unusedViolations(state, iamSettings(config).maxCredentialUsageAge),
});
