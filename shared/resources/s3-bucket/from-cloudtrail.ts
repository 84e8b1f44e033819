import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { encryptionFromRequest, SSE_S3, usesKms } from "./encryption";
import { parseBucketPolicy } from "./policy";
import { publicStatements } from "./policy-analysis";
import { flagsOff, publicAccessBlockFromRequest } from "./public-access-block";
import { bucketRef } from "./ref";
import type { PendingRead, S3BucketState } from "./state";

type BucketObservation = Observation<"AWS::S3::Bucket">;

const requestSchema = z.looseObject({ bucketName: z.string().min(1) });

/** The bucket a call names; its ARN has no account or Region, so those come from the event. */
function observe(
  detail: CloudTrailDetail,
  account: string,
  aspects: Omit<S3BucketState, "bucketName" | "bucketArn" | "accountId">,
): BucketObservation {
  const parsed = requestSchema.safeParse(detail.requestParameters);
  if (!parsed.success)
    throw new UnusableEventError(`${detail.eventName} requestParameters: ${z.prettifyError(parsed.error)}`);
  const resource = bucketRef(parsed.data.bucketName, account, detail.awsRegion);
  const { pendingReads: pending = [], ...known } = aspects;
  return {
    resource,
    state: {
      bucketName: resource.id,
      bucketArn: resource.arn,
      accountId: account,
      ...known,
      ...(pending.length ? { pendingReads: pending } : {}),
    },
    // Complete for the aspects the call states; checks of the others stay undecided.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
    // The setting before the call (AWS Config's history) or a part CloudTrail hid is read first.
    needsRefresh:
      pending.length > 0 ||
      known.encryptionChange !== undefined ||
      known.publicAccessBlockChange !== undefined,
  };
}

const params = (detail: CloudTrailDetail): Record<string, unknown> => detail.requestParameters ?? {};

/**
 * `DeleteBucketEncryption`: S3 falls back to SSE-S3. That changes nothing for an SSE-S3 bucket but
 * silently drops a KMS key; which one it was is read from AWS Config before the checks run.
 */
function fromDeleteEncryption(detail: CloudTrailDetail, account: string): BucketObservation {
  return observe(detail, account, {
    encryption: [SSE_S3],
    encryptionChange: { call: detail.eventName },
  });
}

/** `PutBucketEncryption`: a configuration without a KMS key may be a downgrade; the one before is read then. */
function fromPutEncryption(detail: CloudTrailDetail, account: string): BucketObservation {
  const rules = encryptionFromRequest(params(detail).ServerSideEncryptionConfiguration);
  if (!rules)
    return observe(detail, account, {
      pendingReads: ["encryption"],
      encryptionChange: { call: detail.eventName },
    });
  // A KMS configuration is no downgrade: nothing before it needs reading.
  if (usesKms(rules)) return { ...observe(detail, account, { encryption: rules }), needsRefresh: false };
  return observe(detail, account, { encryption: rules, encryptionChange: { call: detail.eventName } });
}

function fromPutPublicAccessBlock(detail: CloudTrailDetail, account: string): BucketObservation {
  const settings = publicAccessBlockFromRequest(params(detail).PublicAccessBlockConfiguration);
  if (!settings)
    return observe(detail, account, {
      pendingReads: ["public-access-block"],
      publicAccessBlockChange: { call: detail.eventName },
    });
  // All four on weakens nothing: no need to know what was there before.
  if (!flagsOff(settings).length)
    return { ...observe(detail, account, { publicAccessBlock: settings }), needsRefresh: false };
  return observe(detail, account, {
    publicAccessBlock: settings,
    publicAccessBlockChange: { call: detail.eventName },
  });
}

function fromDeletePublicAccessBlock(detail: CloudTrailDetail, account: string): BucketObservation {
  return observe(detail, account, {
    publicAccessBlock: null,
    publicAccessBlockChange: { call: detail.eventName },
  });
}

/**
 * `PutBucketPolicy` logs the policy already parsed. A public-looking one is judged with the
 * bucket's RestrictPublicBuckets (read live), which makes S3 ignore public grants.
 */
function fromPutPolicy(detail: CloudTrailDetail, account: string): BucketObservation {
  const policy = parseBucketPolicy(params(detail).bucketPolicy);
  const pending: PendingRead[] = !policy
    ? ["policy", "restrict-public-buckets"]
    : publicStatements(policy).length
      ? ["restrict-public-buckets"]
      : [];
  return observe(detail, account, { ...(policy ? { policy } : {}), pendingReads: pending });
}

function fromDeletePolicy(detail: CloudTrailDetail, account: string): BucketObservation {
  return observe(detail, account, { policy: null });
}

const READERS: Record<string, (detail: CloudTrailDetail, account: string) => BucketObservation> = {
  DeleteBucketEncryption: fromDeleteEncryption,
  PutBucketEncryption: fromPutEncryption,
  PutBucketPublicAccessBlock: fromPutPublicAccessBlock,
  DeleteBucketPublicAccessBlock: fromDeletePublicAccessBlock,
  PutBucketPolicy: fromPutPolicy,
  DeleteBucketPolicy: fromDeletePolicy,
};

export function fromBucketCall(detail: CloudTrailDetail, account: string): BucketObservation[] {
  const read = READERS[detail.eventName];
  if (!read) throw new UnusableEventError(`no S3 bucket reader for ${detail.eventName}`);
  return [read(detail, account)];
}
