import type { EC2Client, Volume } from "@aws-sdk/client-ec2";
import { errorName } from "../../aws/errors";
import { loadEc2 } from "../../aws/sdk";
import { attachedTargets } from "./attachments";
import type { EbsVolumeState } from "./state";

/** EC2's answer for a volume id that doesn't exist (any more). */
const GONE = new Set(["InvalidVolume.NotFound", "InvalidVolumeID.NotFound"]);

/** The volume as EC2 describes it now, or undefined when it no longer exists. */
export async function describeVolume(client: EC2Client, volumeId: string): Promise<Volume | undefined> {
  const { DescribeVolumesCommand } = await loadEc2();
  try {
    const out = await client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    return out.Volumes?.find((v) => v.VolumeId === volumeId);
  } catch (error) {
    if (GONE.has(errorName(error))) return undefined;
    throw error;
  }
}

export function tagsOf(volume: Volume): Record<string, string> {
  return Object.fromEntries(
    (volume.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? "", t.Value ?? ""]),
  );
}

/** The whole volume from DescribeVolumes: encryption, attachments and tags. */
export function stateFromVolume(volume: Volume, volumeId: string): EbsVolumeState {
  return {
    volumeId,
    // DescribeVolumes always answers Encrypted; absent would mean "unknown", never "unencrypted".
    ...(volume.Encrypted !== undefined ? { encrypted: volume.Encrypted } : {}),
    ...(volume.KmsKeyId ? { kmsKeyId: volume.KmsKeyId } : {}),
    attachedTo: attachedTargets(
      (volume.Attachments ?? []).map((a) => ({
        target: a.InstanceId ?? a.AssociatedResource,
        state: a.State,
      })),
    ),
    ...(volume.State ? { volumeState: volume.State } : {}),
    tags: tagsOf(volume),
  };
}
