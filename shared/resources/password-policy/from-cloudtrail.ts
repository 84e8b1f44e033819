import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { partitionOf } from "../account/ref";
import { UnusableEventError, type Observation } from "../adapter";
import { policyFromRequest, policyRequestSchema } from "./policy";
import { passwordPolicyRef } from "./ref";
import type { PasswordPolicy } from "./state";

type PolicyObservation = Observation<"AWS::IAM::AccountPasswordPolicy">;

function observe(
  detail: CloudTrailDetail,
  account: string,
  policy: PasswordPolicy | null,
): PolicyObservation[] {
  return [
    {
      resource: passwordPolicyRef(account, partitionOf(detail.awsRegion)),
      state: { accountId: account, policy, changedAt: detail.eventTime, changeRegion: detail.awsRegion },
      // The call sets (or removes) the whole policy: every setting is known.
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: true,
    },
  ];
}

/** `UpdateAccountPasswordPolicy`: no partial updates, so the request is the whole new policy. */
export function fromUpdatePolicy(detail: CloudTrailDetail, account: string): PolicyObservation[] {
  // A request that set nothing at all is logged with null parameters: every setting took its default.
  const parsed = policyRequestSchema.safeParse(detail.requestParameters ?? {});
  if (!parsed.success)
    throw new UnusableEventError(
      `UpdateAccountPasswordPolicy requestParameters: ${z.prettifyError(parsed.error)}`,
    );
  return observe(detail, account, policyFromRequest(parsed.data));
}

/** `DeleteAccountPasswordPolicy`: no policy left (only IAM's built-in default for new passwords). */
export function fromDeletePolicy(detail: CloudTrailDetail, account: string): PolicyObservation[] {
  return observe(detail, account, null);
}
