import { pageOf, type Ec2State } from "./ec2";
import { ec2Instances } from "./ec2-instances";
import { AwsError, el, itemSet, members, randomHex, raw, values, type Params } from "./query";

/**
 * EBS volumes in memory, in the EC2 query protocol: CreateVolume, AttachVolume and DescribeVolumes
 * (paged), with AWS's error codes. Volumes are `available` as soon as they exist; attachments are
 * `attached` at once. Only what Vigil's tests use.
 */

export interface LocalVolume {
  volumeId: string;
  size: number;
  availabilityZone: string;
  encrypted: boolean;
  kmsKeyId?: string;
  volumeType: string;
  tags: Record<string, string>;
  attachments: { instanceId: string; device: string; state: "attaching" | "attached" | "detaching" }[];
}

const stores = new WeakMap<Ec2State, Map<string, LocalVolume>>();

/** The volumes of one endpoint, for tests to inspect. */
export function ec2Volumes(ec2: Ec2State): Map<string, LocalVolume> {
  let store = stores.get(ec2);
  if (!store) {
    store = new Map();
    stores.set(ec2, store);
  }
  return store;
}

const CREATED = "2025-03-13T08:00:00.000Z";

function volumeXml(v: LocalVolume, status = v.attachments.length ? "in-use" : "available"): string {
  return [
    el("volumeId", v.volumeId),
    el("size", v.size),
    el("snapshotId", ""),
    el("availabilityZone", v.availabilityZone),
    el("status", status),
    el("createTime", CREATED),
    itemSet("attachmentSet", v.attachments, (a) =>
      [
        el("volumeId", v.volumeId),
        el("instanceId", a.instanceId),
        el("device", a.device),
        el("status", a.state),
        el("attachTime", CREATED),
        el("deleteOnTermination", false),
      ].join(""),
    ),
    el("encrypted", v.encrypted),
    el("kmsKeyId", v.kmsKeyId),
    el("volumeType", v.volumeType),
    itemSet("tagSet", Object.entries(v.tags), ([key, value]) => el("key", key) + el("value", value)),
    el("multiAttachEnabled", false),
  ].join("");
}

function tagsFor(params: Params): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of members(params, "TagSpecification")) {
    if (spec.ResourceType !== "volume") continue;
    for (const tag of members(spec, "Tag")) if (tag.Key) tags[tag.Key] = tag.Value ?? "";
  }
  return tags;
}

export function installVolumes(ec2: Ec2State): void {
  const store = ec2Volumes(ec2);
  const volumeOf = (id: string | undefined): LocalVolume => {
    if (!id) throw new AwsError("MissingParameter", "The request must contain the parameter VolumeId");
    const volume = store.get(id);
    if (!volume) throw new AwsError("InvalidVolume.NotFound", `The volume '${id}' does not exist.`);
    return volume;
  };

  ec2.extend({
    CreateVolume: (p) => {
      if (!p.AvailabilityZone)
        throw new AwsError("MissingParameter", "The request must contain the parameter AvailabilityZone");
      const encrypted = p.Encrypted === "true";
      const volume: LocalVolume = {
        volumeId: `vol-${randomHex(17)}`,
        size: Number(p.Size ?? 8),
        availabilityZone: p.AvailabilityZone,
        encrypted,
        ...(encrypted ? { kmsKeyId: p.KmsKeyId ?? "arn:aws:kms:us-east-1:000000000000:key/aws-ebs" } : {}),
        volumeType: p.VolumeType ?? "gp3",
        tags: tagsFor(p),
        attachments: [],
      };
      store.set(volume.volumeId, volume);
      return volumeXml(volume, "creating");
    },

    AttachVolume: (p) => {
      const volume = volumeOf(p.VolumeId);
      if (!p.InstanceId || !p.Device)
        throw new AwsError(
          "MissingParameter",
          "The request must contain the parameters InstanceId and Device",
        );
      if (!ec2Instances(ec2).instances.has(p.InstanceId))
        throw new AwsError("InvalidInstanceID.NotFound", `The instance ID '${p.InstanceId}' does not exist`);
      if (volume.attachments.length)
        throw new AwsError("VolumeInUse", `${volume.volumeId} is already attached to an instance`);
      volume.attachments.push({ instanceId: p.InstanceId, device: p.Device, state: "attached" });
      return [
        el("volumeId", volume.volumeId),
        el("instanceId", p.InstanceId),
        el("device", p.Device),
        el("status", "attaching"),
        el("attachTime", CREATED),
      ].join("");
    },

    DescribeVolumes: (p) => {
      const ids = values(p, "VolumeId");
      for (const id of ids) volumeOf(id);
      if (ids.length && p.MaxResults !== undefined)
        throw new AwsError(
          "InvalidParameterCombination",
          "The parameter volumeSet cannot be used with the parameter maxResults",
        );
      const found = [...store.values()].filter((v) => !ids.length || ids.includes(v.volumeId));
      const page = pageOf(found, p, { min: 5, max: 1000 });
      return (
        raw("volumeSet", page.items.map((v) => raw("item", volumeXml(v))).join("")) +
        el("nextToken", page.nextToken)
      );
    },
  });
}
