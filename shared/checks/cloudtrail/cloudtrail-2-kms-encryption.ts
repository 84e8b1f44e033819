import { defineCheck } from "../define";
import { trailReadActions, updateTriggers } from "./triggers";

/** Detect only: putting encryption back needs the previous key, which the event doesn't carry. */
export default defineCheck({
  id: "CloudTrail.2",
  title: "CloudTrail should have encryption at-rest enabled",
  severity: "MEDIUM",
  resourceType: "AWS::CloudTrail::Trail",
  controls: ["FSBP CloudTrail.2", "CIS 3.5"],
  description:
    "The trail's log files are not encrypted with a KMS key (SSE-KMS). Set the trail's KMS key again (UpdateTrail --kms-key-id); the previous key is not known to Vigil.",
  tampering: true,
  triggers: updateTriggers,
  iamActions: trailReadActions,
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
