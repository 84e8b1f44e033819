import { iamUserReadActions } from "../../resources/iam-user/adapter";
import { defineCheck } from "../define";
import { unusedViolations, withoutReport } from "./credentials";
import { iamSettings } from "./settings";
import { credentialTriggers } from "./triggers";

export default defineCheck({
  id: "IAM.22",
  title: "IAM user credentials unused for 45 days should be removed",
  severity: "MEDIUM",
  resourceType: "AWS::IAM::User",
  controls: ["SecurityHub IAM.22", "CIS 1.12"],
  description:
    "A console password or active access key has not been used for 45 days (by default). Remove what the user no longer needs. Vigil can deactivate unused keys (dry-run by default); passwords are left to you.",
  triggers: credentialTriggers,
  iamActions: iamUserReadActions,
  remediation: { id: "deactivate-access-key", defaultMode: "dry-run" },
  undecided: withoutReport,
  evaluate: (state, { config }) => unusedViolations(state, iamSettings(config).cisMaxCredentialUsageAge),
});
