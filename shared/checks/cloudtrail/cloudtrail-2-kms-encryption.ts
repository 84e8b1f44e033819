import { defineCheck } from "../define";
import { trailReadActions, updateTriggers } from "./triggers";

/**
 * The event doesn't carry the key the call removed: the remediation finds it in AWS Config's history
 * of the trail and puts it back only when that key is still enabled (otherwise the finding stays open).
 */
export default defineCheck({
  id: "CloudTrail.2",
  title: "CloudTrail should have encryption at-rest enabled",
  severity: "MEDIUM",
  resourceType: "AWS::CloudTrail::Trail",
  controls: ["FSBP CloudTrail.2", "CIS 3.5"],
  description:
    "The trail's log files are not encrypted with a KMS key (SSE-KMS). Vigil puts back the key the trail last had according to AWS Config's history (UpdateTrail KmsKeyId), when that key still exists and is enabled; otherwise set a key yourself (UpdateTrail --kms-key-id).",
  tampering: true,
  triggers: updateTriggers,
  iamActions: trailReadActions,
  remediation: { id: "restore-cloudtrail-kms-key", defaultMode: "auto" },
  undecided: (state) =>
    state.kmsKeyId === undefined ? "this call does not say how the trail is encrypted" : undefined,
  evaluate: (state) =>
    state.kmsKeyId === null
      ? [
          {
            summary: `trail ${state.trailName} has no KMS key`,
            evidence: { trailArn: state.trailArn, kmsKeyId: null },
          },
        ]
      : [],
});
