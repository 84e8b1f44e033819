import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { VOLUME_ID, volumeRef } from "./ref";

type VolumeObservation = Observation<"AWS::EC2::Volume">;

const requestSchema = z.looseObject({ volumeId: z.string().regex(VOLUME_ID, "not an EBS volume id") });

function volumeIdOf(detail: CloudTrailDetail): string {
  const result = requestSchema.safeParse(detail.requestParameters);
  if (!result.success)
    throw new UnusableEventError(`${detail.eventName} requestParameters: ${z.prettifyError(result.error)}`);
  return result.data.volumeId;
}

/**
 * `AttachVolume` / `DetachVolume`: the call names the volume and the instance, not whether the
 * volume is encrypted, nor (with Multi-Attach) what else it stays attached to. The live read
 * (`refresh`) decides; until then the volume's state is only its id and the check is undecided.
 */
export function fromAttachmentCall(detail: CloudTrailDetail, account: string): VolumeObservation[] {
  const volumeId = volumeIdOf(detail);
  return [
    {
      resource: volumeRef(volumeId, account, detail.awsRegion),
      state: { volumeId },
      complete: false,
      observedAt: detail.eventTime,
      tagsKnown: false,
      needsRefresh: true,
    },
  ];
}

/** `DeleteVolume`: the volume is gone, so it is attached to nothing; its findings resolve. */
export function fromDeleteVolume(detail: CloudTrailDetail, account: string): VolumeObservation[] {
  const volumeId = volumeIdOf(detail);
  return [
    {
      resource: volumeRef(volumeId, account, detail.awsRegion),
      state: undefined,
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: false,
    },
  ];
}
