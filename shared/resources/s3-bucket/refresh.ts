import { errorName } from "../../aws/errors";
import type { Observation, ReadClients } from "../adapter";
import { usesKms } from "./encryption";
import { settingsBefore } from "./history";
import { BucketGoneError, readEncryption, readPolicyText, readPublicAccessBlock } from "./live";
import { parseBucketPolicy } from "./policy";
import { flagsOff } from "./public-access-block";
import type { S3BucketState } from "./state";

type BucketObservation = Observation<"AWS::S3::Bucket">;

/**
 * A bucket policy may deny everyone but a few roles, Vigil's reads included: that aspect then stays
 * unknown (its checks undecided) rather than failing the event over and over.
 */
function unlessDenied<T>(read: Promise<T>): Promise<T | undefined> {
  return read.catch((error: unknown) => {
    if (errorName(error) === "AccessDenied") return undefined;
    throw error;
  });
}

/** The aspects the event could not state (CloudTrail hid them, Config left them out), read live side by side. */
async function readPending(state: S3BucketState, clients: ReadClients): Promise<S3BucketState> {
  const { pendingReads = [], ...known } = state;
  if (!pendingReads.length) return known;
  const pending = new Set(pendingReads);
  const s3 = await clients.s3();
  const [encryption, publicAccessBlock, policyText] = await Promise.all([
    pending.has("encryption") ? unlessDenied(readEncryption(s3, state)) : undefined,
    pending.has("public-access-block") || pending.has("restrict-public-buckets")
      ? unlessDenied(readPublicAccessBlock(s3, state))
      : undefined,
    pending.has("policy") ? unlessDenied(readPolicyText(s3, state)) : undefined,
  ]);
  const policy = typeof policyText === "string" ? parseBucketPolicy(policyText) : policyText;
  return {
    ...known,
    ...(encryption ? { encryption } : {}),
    ...(publicAccessBlock !== undefined && pending.has("public-access-block") ? { publicAccessBlock } : {}),
    ...(publicAccessBlock !== undefined && pending.has("restrict-public-buckets")
      ? { restrictPublicBuckets: publicAccessBlock?.restrictPublicBuckets === true }
      : {}),
    ...(policy !== undefined ? { policy } : {}),
  };
}

/** Whether a change left the bucket weaker, so that what was there before matters (and is read from Config). */
function needsBefore(state: S3BucketState): { encryption: boolean; publicAccessBlock: boolean } {
  return {
    encryption:
      state.encryptionChange !== undefined &&
      state.encryptionChange.before === undefined &&
      state.encryption !== undefined &&
      !usesKms(state.encryption),
    publicAccessBlock:
      state.publicAccessBlockChange !== undefined &&
      state.publicAccessBlockChange.before === undefined &&
      state.publicAccessBlock !== undefined &&
      flagsOff(state.publicAccessBlock).length > 0,
  };
}

/**
 * Reads what the event left open: hidden or missing aspects (live), then, for a change that
 * weakened encryption or Block Public Access, the settings just before it (AWS Config's history),
 * which is what the remediation puts back. A bucket that is gone is observed as deleted.
 */
export async function refreshBucket(
  observation: BucketObservation,
  clients: ReadClients,
): Promise<BucketObservation> {
  const current = observation.state;
  if (!current) return { ...observation, needsRefresh: false };
  let state: S3BucketState;
  try {
    state = await readPending(current, clients);
  } catch (error) {
    if (error instanceof BucketGoneError) return { ...observation, state: undefined, needsRefresh: false };
    throw error;
  }
  const wanted = needsBefore(state);
  if (wanted.encryption || wanted.publicAccessBlock) {
    const before = await settingsBefore(
      await clients.configService(),
      state.bucketName,
      observation.observedAt,
    );
    if (wanted.encryption && state.encryptionChange)
      state = { ...state, encryptionChange: { ...state.encryptionChange, before: before.encryption } };
    if (wanted.publicAccessBlock && state.publicAccessBlockChange)
      state = {
        ...state,
        publicAccessBlockChange: { ...state.publicAccessBlockChange, before: before.publicAccessBlock },
      };
  }
  return { ...observation, state, needsRefresh: false };
}
