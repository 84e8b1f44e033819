import type { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { loadS3 } from "../../aws/sdk";
import { undoExemptionTags } from "../../exemptions/undo-tags";
import { readBucketTags, type BucketTarget } from "../../resources/s3-bucket/live";

/** What every S3 bucket undo payload carries: the bucket, and the checks to exempt it from first. */
export const bucketUndoSchema = z.object({
  bucketName: z.string().min(1),
  accountId: z.string().min(1),
  /** Checks to mark exempt on the bucket before restoring, so Vigil doesn't undo the undo. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});

/**
 * Tags the bucket exempt from the checks before anything is put back, so the restore's own event
 * finds it exempt. PutBucketTagging replaces the whole tag set: the current tags are read and kept.
 */
export async function tagBucketExempt(
  s3: S3Client,
  bucket: BucketTarget,
  checkIds: readonly string[],
  tagKey: string,
): Promise<string> {
  if (!checkIds.length) return "";
  const { PutBucketTaggingCommand } = await loadS3();
  const current = await readBucketTags(s3, bucket);
  const { tags, summary } = undoExemptionTags(current, checkIds, tagKey);
  const TagSet = Object.entries({ ...current, ...tags }).map(([Key, Value]) => ({ Key, Value }));
  await s3.send(
    new PutBucketTaggingCommand({
      Bucket: bucket.bucketName,
      ExpectedBucketOwner: bucket.accountId,
      Tagging: { TagSet },
    }),
  );
  return `; ${bucket.bucketName} ${summary}`;
}

export const BUCKET_UNDO_TAG_ACTIONS = ["s3:GetBucketTagging", "s3:PutBucketTagging"];
