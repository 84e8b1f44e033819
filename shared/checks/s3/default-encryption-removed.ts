import { describeEncryption, SSE_S3, usesKms } from "../../resources/s3-bucket/encryption";
import type { S3BucketState } from "../../resources/s3-bucket/state";
import { defineCheck, type Violation } from "../define";
import { bucketReadActions, encryptionTriggers } from "./triggers";

export const RESTORE_BUCKET_ENCRYPTION = { id: "restore-s3-bucket-encryption", defaultMode: "auto" } as const;

function violation(state: S3BucketState): Violation[] {
  const change = state.encryptionChange;
  const before = change?.before;
  if (!change || !before || usesKms(state.encryption)) return [];
  const now = describeEncryption(state.encryption ?? [SSE_S3]);
  const base = { bucketName: state.bucketName, setting: "encryption", call: change.call, now };
  if (before.known) {
    // An SSE-S3 (or empty) configuration deleted or re-put changes nothing: S3 applies SSE-S3 anyway.
    if (!usesKms(before.value)) return [];
    const was = describeEncryption(before.value);
    return [
      {
        summary: `bucket ${state.bucketName}: default encryption downgraded from ${was} to ${now} (${change.call})`,
        evidence: {
          ...base,
          before: was,
          beforeSource: `AWS Config item captured at ${before.capturedAt}`,
          restore: before.value,
        },
      },
    ];
  }
  // Only a deletion is worth a word when the past is unknown: a new SSE-S3 configuration is ordinary.
  if (change.call !== "DeleteBucketEncryption") return [];
  return [
    {
      summary: `bucket ${state.bucketName}: default encryption configuration deleted; what it was is unknown (${before.reason}), S3 now applies ${now}`,
      evidence: { ...base, before: "unknown", beforeSource: before.reason, restore: [SSE_S3] },
      // It may have dropped a KMS key, or changed nothing at all.
      severity: "LOW",
    },
  ];
}

/**
 * S3.4 ("S3 buckets should have server-side encryption enabled") is gone from FSBP since S3 encrypts
 * every bucket; S3.17 (KMS keys) fails every SSE-S3 bucket, which is not this. What still matters is
 * a KMS configuration silently lost, so this check judges the change itself.
 */
export default defineCheck({
  id: "VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED",
  title: "S3 bucket default encryption should not be removed or downgraded from a KMS key",
  severity: "MEDIUM",
  resourceType: "AWS::S3::Bucket",
  controls: [],
  description:
    "A DeleteBucketEncryption or PutBucketEncryption call dropped the bucket's KMS key: new objects get SSE-S3 and the key policy no longer guards them. Vigil puts back the previous configuration (rule, KMS key, S3 Bucket Key) from AWS Config's history, else SSE-S3.",
  triggers: encryptionTriggers,
  iamActions: bucketReadActions,
  remediation: RESTORE_BUCKET_ENCRYPTION,
  // A Config item (no change in it) can only say a KMS key is in force, which resolves the finding.
  undecided: (state) =>
    state.encryptionChange?.before !== undefined || usesKms(state.encryption)
      ? undefined
      : "this source does not say how the bucket's default encryption changed",
  evaluate: violation,
});
