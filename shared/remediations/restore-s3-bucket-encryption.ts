import { z } from "zod";
import { loadS3 } from "../aws/sdk";
import {
  describeEncryption,
  encryptionToApi,
  sameEncryption,
  usesKms,
} from "../resources/s3-bucket/encryption";
import { BucketGoneError, readEncryption } from "../resources/s3-bucket/live";
import type { EncryptionRule } from "../resources/s3-bucket/state";
import { defineRemediation, type RemediationOutcome } from "./define";
import { BUCKET_UNDO_TAG_ACTIONS, bucketUndoSchema, tagBucketExempt } from "./s3-bucket/undo-support";

export const RESTORE_BUCKET_ENCRYPTION_ID = "restore-s3-bucket-encryption";

const ruleSchema = z.object({
  algorithm: z.string().min(1),
  kmsKeyId: z.string().min(1).optional(),
  bucketKeyEnabled: z.boolean().optional(),
  blockedEncryptionTypes: z.array(z.string()).optional(),
});
const evidenceSchema = z.looseObject({
  call: z.string(),
  restore: z.array(ruleSchema).min(1),
  before: z.unknown(),
});

const undoSchema = bucketUndoSchema.extend({
  /** What the user's call left, put back by undo: `DeleteBucketEncryption` is replayed as such. */
  call: z.string(),
  userRules: z.array(ruleSchema),
});
export type RestoreEncryptionUndoParams = z.input<typeof undoSchema>;

const UNKNOWN_BEFORE =
  "the configuration before the call is unknown, so SSE-S3 is what Vigil can vouch for; if it named a KMS key, set that key again";

export default defineRemediation<"AWS::S3::Bucket">({
  id: RESTORE_BUCKET_ENCRYPTION_ID,
  title: "Put back the bucket's previous default encryption (rule, KMS key, S3 Bucket Key)",
  resourceType: "AWS::S3::Bucket",
  iamActions: ["s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration"],
  // DeleteBucketEncryption is allowed by s3:PutEncryptionConfiguration.
  undoIamActions: ["s3:PutEncryptionConfiguration", ...BUCKET_UNDO_TAG_ACTIONS],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const evidence = violations.map((v) => evidenceSchema.safeParse(v.evidence)).find((p) => p.success)?.data;
    if (!evidence)
      return { result: "skipped", action: "no encryption configuration to restore", awsCalls: 0 };
    const restore: EncryptionRule[] = evidence.restore;
    const wanted = describeEncryption(restore);
    const caveat = evidence.before === "unknown" ? { detail: UNKNOWN_BEFORE } : {};
    if (dryRun)
      return {
        result: "planned",
        action: `PutBucketEncryption ${state.bucketName}: ${wanted}`,
        ...caveat,
        awsCalls: 0,
      };

    const s3 = await clients.s3();
    const { PutBucketEncryptionCommand } = await loadS3();
    let live: EncryptionRule[];
    try {
      live = await readEncryption(s3, state);
    } catch (error) {
      if (!(error instanceof BucketGoneError)) throw error;
      return { result: "skipped", action: `${error.message}: nothing to restore`, awsCalls: 1 };
    }
    if (sameEncryption(live, restore))
      return {
        result: "already-gone",
        action: `${state.bucketName} already uses ${wanted}`,
        ...caveat,
        awsCalls: 1,
      };
    // A KMS configuration set since the call is someone's decision: don't overwrite it with an older one.
    if (usesKms(live))
      return {
        result: "skipped",
        action: `${state.bucketName} was changed again since (now ${describeEncryption(live)}): not overwritten`,
        awsCalls: 1,
      };
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: state.bucketName,
        ExpectedBucketOwner: state.accountId,
        ServerSideEncryptionConfiguration: { Rules: restore.map(encryptionToApi) },
      }),
    );
    return {
      result: "succeeded",
      action: `${state.bucketName}: default encryption restored to ${wanted}`,
      ...caveat,
      undo: {
        remediationId: RESTORE_BUCKET_ENCRYPTION_ID,
        params: {
          bucketName: state.bucketName,
          accountId: state.accountId,
          call: evidence.call,
          userRules: live,
        } satisfies RestoreEncryptionUndoParams,
      },
      awsCalls: 2,
    };
  },
  async undo(payload, clients) {
    const params = undoSchema.parse(payload.params);
    const [s3, { DeleteBucketEncryptionCommand, PutBucketEncryptionCommand }] = await Promise.all([
      clients.s3(),
      loadS3(),
    ]);
    const exempted = await tagBucketExempt(s3, params, params.exemptChecks, params.exemptionTagKey);
    const target = { Bucket: params.bucketName, ExpectedBucketOwner: params.accountId };
    if (params.call === "DeleteBucketEncryption" || !params.userRules.length) {
      await s3.send(new DeleteBucketEncryptionCommand(target));
      return `default encryption configuration deleted again on ${params.bucketName} (S3 applies SSE-S3)${exempted}`;
    }
    await s3.send(
      new PutBucketEncryptionCommand({
        ...target,
        ServerSideEncryptionConfiguration: { Rules: params.userRules.map(encryptionToApi) },
      }),
    );
    return `default encryption on ${params.bucketName} set back to ${describeEncryption(params.userRules)}${exempted}`;
  },
});
