import { defineCheck } from "../define";
import { ebsDefaultEncryptionTriggers } from "./triggers";

export default defineCheck({
  id: "EC2.7",
  title: "EBS default encryption should be enabled",
  severity: "MEDIUM",
  resourceType: "AWS::EC2::EbsEncryptionByDefault",
  controls: ["FSBP EC2.7", "CIS 2.2.1"],
  description:
    "EBS encryption by default was turned off for the Region (DisableEbsEncryptionByDefault): new volumes and snapshot copies may be created unencrypted. Vigil turns it back on (EnableEbsEncryptionByDefault); the default KMS key is a separate setting and stays as it was.",
  triggers: ebsDefaultEncryptionTriggers,
  // The call's own answer is the whole truth: no read before the checks.
  iamActions: [],
  remediation: { id: "enable-ebs-default-encryption", defaultMode: "auto" },
  evaluate: (state) =>
    state.enabled
      ? []
      : [
          {
            summary: `EBS encryption by default is off in ${state.region} (account ${state.account})`,
            evidence: { account: state.account, region: state.region, ebsEncryptionByDefault: false },
          },
        ],
});
