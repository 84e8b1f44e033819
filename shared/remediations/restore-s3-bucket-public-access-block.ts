import { z } from "zod";
import { loadS3 } from "../aws/sdk";
import { BucketGoneError, readPublicAccessBlock } from "../resources/s3-bucket/live";
import {
  describePublicAccessBlock,
  NO_PUBLIC_ACCESS_BLOCK,
  publicAccessBlockToApi,
  samePublicAccessBlock,
  strictest,
} from "../resources/s3-bucket/public-access-block";
import { PUBLIC_ACCESS_BLOCK_FLAGS, type PublicAccessBlock } from "../resources/s3-bucket/state";
import { defineRemediation, type RemediationOutcome } from "./define";
import { BUCKET_UNDO_TAG_ACTIONS, bucketUndoSchema, tagBucketExempt } from "./s3-bucket/undo-support";

export const RESTORE_PUBLIC_ACCESS_BLOCK_ID = "restore-s3-bucket-public-access-block";

const flagsSchema = z.object({
  blockPublicAcls: z.boolean(),
  ignorePublicAcls: z.boolean(),
  blockPublicPolicy: z.boolean(),
  restrictPublicBuckets: z.boolean(),
});
const evidenceSchema = z.looseObject({
  setting: z.literal("publicAccessBlock"),
  publicAccessBlock: flagsSchema.nullable(),
  before: z.union([flagsSchema, z.null(), z.literal("unknown")]),
  beforeSource: z.string().optional(),
});

const undoSchema = bucketUndoSchema.extend({
  /** The settings just before Vigil's restore; null = the bucket had none (undo deletes them again). */
  userSettings: flagsSchema.nullable(),
});
export type RestorePublicAccessBlockUndoParams = z.input<typeof undoSchema>;

/** The settings that were on before the call and off after it. */
function turnedOff(before: PublicAccessBlock | null, after: PublicAccessBlock | null): Flag[] {
  return PUBLIC_ACCESS_BLOCK_FLAGS.filter((f) => before?.[f] === true && after?.[f] !== true);
}

type Flag = (typeof PUBLIC_ACCESS_BLOCK_FLAGS)[number];

/** Only the given settings on. */
function only(flags: readonly Flag[]): PublicAccessBlock {
  const settings = { ...NO_PUBLIC_ACCESS_BLOCK };
  for (const flag of flags) settings[flag] = true;
  return settings;
}

export default defineRemediation<"AWS::S3::Bucket">({
  id: RESTORE_PUBLIC_ACCESS_BLOCK_ID,
  title: "Put back the bucket's Block Public Access settings that a call turned off",
  resourceType: "AWS::S3::Bucket",
  iamActions: ["s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"],
  // DeletePublicAccessBlock is allowed by s3:PutBucketPublicAccessBlock.
  undoIamActions: ["s3:PutBucketPublicAccessBlock", ...BUCKET_UNDO_TAG_ACTIONS],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const evidence = violations.map((v) => evidenceSchema.safeParse(v.evidence)).find((p) => p.success)?.data;
    if (!evidence) return { result: "skipped", action: "no Block Public Access change to undo", awsCalls: 0 };
    // Vigil restores, it never imposes: turning on settings the bucket never had may break it.
    if (evidence.before === "unknown")
      return {
        result: "skipped",
        action: `not restored: the settings before the change are unknown (${evidence.beforeSource ?? "no AWS Config history"})`,
        detail: "turn Block Public Access back on yourself if the bucket is not meant to be public",
        awsCalls: 0,
      };
    const restored = turnedOff(evidence.before, evidence.publicAccessBlock);
    if (!restored.length)
      return {
        result: "skipped",
        action: `not restored: ${state.bucketName} had no stricter settings before (${describePublicAccessBlock(evidence.before)})`,
        awsCalls: 0,
      };
    if (dryRun)
      return {
        result: "planned",
        action: `PutPublicAccessBlock ${state.bucketName}: turn ${restored.join(", ")} back on`,
        awsCalls: 0,
      };

    const s3 = await clients.s3();
    const { PutPublicAccessBlockCommand } = await loadS3();
    let live: PublicAccessBlock | null;
    try {
      live = await readPublicAccessBlock(s3, state);
    } catch (error) {
      if (!(error instanceof BucketGoneError)) throw error;
      return { result: "skipped", action: `${error.message}: nothing to restore`, awsCalls: 1 };
    }
    // Only the settings the call turned off are turned on again, on top of whatever is live now.
    const target = strictest(live, only(restored));
    if (samePublicAccessBlock(target, live))
      return {
        result: "already-gone",
        action: `${state.bucketName} already has ${restored.join(", ")} on`,
        awsCalls: 1,
      };
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: state.bucketName,
        ExpectedBucketOwner: state.accountId,
        PublicAccessBlockConfiguration: publicAccessBlockToApi(target),
      }),
    );
    return {
      result: "succeeded",
      action: `${state.bucketName}: Block Public Access restored (${restored.join(", ")} on)`,
      detail: `now ${describePublicAccessBlock(target)}`,
      undo: {
        remediationId: RESTORE_PUBLIC_ACCESS_BLOCK_ID,
        params: {
          bucketName: state.bucketName,
          accountId: state.accountId,
          userSettings: live,
        } satisfies RestorePublicAccessBlockUndoParams,
      },
      awsCalls: 2,
    };
  },
  async undo(payload, clients) {
    const params = undoSchema.parse(payload.params);
    const [s3, { DeletePublicAccessBlockCommand, PutPublicAccessBlockCommand }] = await Promise.all([
      clients.s3(),
      loadS3(),
    ]);
    const exempted = await tagBucketExempt(s3, params, params.exemptChecks, params.exemptionTagKey);
    const target = { Bucket: params.bucketName, ExpectedBucketOwner: params.accountId };
    if (!params.userSettings) {
      await s3.send(new DeletePublicAccessBlockCommand(target));
      return `bucket-level Block Public Access deleted again on ${params.bucketName}${exempted}`;
    }
    await s3.send(
      new PutPublicAccessBlockCommand({
        ...target,
        PublicAccessBlockConfiguration: publicAccessBlockToApi(params.userSettings),
      }),
    );
    return `Block Public Access on ${params.bucketName} set back to ${describePublicAccessBlock(params.userSettings)}${exempted}`;
  },
});
