import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { accountPublicAccessBlockRef } from "./ref";
import type { AccountPublicAccessBlockState, PublicAccessBlockFlags } from "./state";

type BlockObservation = Observation<"AWS::S3::AccountPublicAccessBlock">;

/** CloudTrail's types drift (NOTES §4.6): accept "true"/"false" as well as booleans. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/**
 * `PutAccountPublicAccessBlock` (S3 Control `PutPublicAccessBlock`, eventSource s3.amazonaws.com):
 * `requestParameters.PublicAccessBlockConfiguration` with the four flags (and an S3 Control
 * `xmlns`). The call replaces the whole configuration: a flag it leaves out is off afterwards.
 */
const putRequestSchema = z.looseObject({
  PublicAccessBlockConfiguration: z.looseObject({
    BlockPublicAcls: flag.optional(),
    IgnorePublicAcls: flag.optional(),
    BlockPublicPolicy: flag.optional(),
    RestrictPublicBuckets: flag.optional(),
  }),
});

function observe(
  detail: CloudTrailDetail,
  account: string,
  configuration: PublicAccessBlockFlags | null,
): BlockObservation[] {
  const state: AccountPublicAccessBlockState = {
    accountId: account,
    configuration,
    changedAt: detail.eventTime,
  };
  return [
    {
      resource: accountPublicAccessBlockRef(account, detail.awsRegion),
      state,
      // The call sets (or removes) the whole configuration: all four flags are known.
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: true,
    },
  ];
}

export function fromPutAccountPublicAccessBlock(
  detail: CloudTrailDetail,
  account: string,
): BlockObservation[] {
  const parsed = putRequestSchema.safeParse(detail.requestParameters);
  if (!parsed.success) {
    throw new UnusableEventError(
      `PutAccountPublicAccessBlock requestParameters: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed.data.PublicAccessBlockConfiguration;
  return observe(detail, account, {
    BlockPublicAcls: c.BlockPublicAcls ?? false,
    IgnorePublicAcls: c.IgnorePublicAcls ?? false,
    BlockPublicPolicy: c.BlockPublicPolicy ?? false,
    RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
  });
}

/** `DeleteAccountPublicAccessBlock`: no configuration left, so nothing is blocked account-wide. */
export function fromDeleteAccountPublicAccessBlock(
  detail: CloudTrailDetail,
  account: string,
): BlockObservation[] {
  return observe(detail, account, null);
}
