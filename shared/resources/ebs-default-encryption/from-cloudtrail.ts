import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { ebsDefaultEncryptionRef } from "./ref";

type EbsObservation = Observation<"AWS::EC2::EbsEncryptionByDefault">;

/** CloudTrail's types drift (NOTES §4.6): accept "true"/"false" as well as booleans. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/**
 * The newer EC2 dialect: `{"<Operation>Response": {xmlns, ebsEncryptionByDefault, requestId}}`.
 * The answer states the setting after the call; when CloudTrail left it out, the call's name does.
 */
const answerSchema = z.looseObject({ ebsEncryptionByDefault: flag.optional() }).optional();

/** `DisableEbsEncryptionByDefault` / `EnableEbsEncryptionByDefault`: the setting for the call's Region. */
export function fromEncryptionByDefaultCall(detail: CloudTrailDetail, account: string): EbsObservation[] {
  const answer = `${detail.eventName}Response`;
  const parsed = answerSchema.safeParse(detail.responseElements?.[answer]);
  if (!parsed.success) {
    throw new UnusableEventError(
      `${detail.eventName} responseElements.${answer}: ${z.prettifyError(parsed.error)}`,
    );
  }
  const stated = parsed.data?.ebsEncryptionByDefault;
  const enabled = stated ?? detail.eventName === "EnableEbsEncryptionByDefault";
  const region = detail.awsRegion;
  return [
    {
      resource: ebsDefaultEncryptionRef(account, region),
      state: { account, region, enabled },
      // The call is the whole truth about this one setting: Enable resolves what Disable opened.
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: true,
    },
  ];
}
