import type { DescribeVolumesCommandOutput, VolumeAttachmentState } from "@aws-sdk/client-ec2";
import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const VOLUME = "vol-0f1a3c5e7b9d24684";
export const INSTANCE = "i-0a1b2c3d4e5f60718";
export const VOLUME_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${VOLUME}`;

export const ebsEvent = (name: string) => loadEvent(`ebs/${name}.json`);

export const idFor = (checkId = "EC2.3", resourceId = VOLUME) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

/** A DescribeVolumes answer for the sample volume. */
export function volume(
  encrypted: boolean,
  attachments: { InstanceId?: string; State: VolumeAttachmentState }[],
  tags: Record<string, string> = {},
): DescribeVolumesCommandOutput {
  return {
    $metadata: {},
    Volumes: [
      {
        VolumeId: VOLUME,
        Encrypted: encrypted,
        ...(encrypted
          ? { KmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1b2c3d4e-5f60-4718-9a0b-1c2d3e4f5a6b` }
          : {}),
        State: attachments.length ? ("in-use" as const) : ("available" as const),
        Attachments: attachments.map((a) => ({ VolumeId: VOLUME, Device: "/dev/sdf", ...a })),
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      },
    ],
  };
}
