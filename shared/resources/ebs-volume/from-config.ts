import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { attachedTargets } from "./attachments";
import { VOLUME_ID, volumeRef } from "./ref";

/** Config writes states as plain strings (older items) or as `{ "value": ... }` (current ones). */
const stateValue = z
  .union([z.string(), z.looseObject({ value: z.string() })])
  .nullable()
  .optional()
  .transform((s) => (s === null || s === undefined ? undefined : typeof s === "string" ? s : s.value));

/** Config's `AWS::EC2::Volume` configuration (camelCase, DescribeVolumes style). */
const configVolumeSchema = z.looseObject({
  volumeId: z.string().regex(VOLUME_ID, "not an EBS volume id"),
  encrypted: z.boolean(),
  kmsKeyId: z.string().nullable().optional(),
  state: stateValue,
  attachments: z
    .array(
      z.looseObject({
        instanceId: z.string().nullable().optional(),
        associatedResource: z.string().nullable().optional(),
        state: stateValue,
      }),
    )
    .nullable()
    .optional(),
});

/** A Config item for a volume: the whole volume, tags included. A deleted volume has no state. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::EC2::Volume"> {
  const resource = volumeRef(item.resourceId, item.awsAccountId, item.awsRegion);
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: true };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) return { ...base, state: undefined };
  const parsed = configVolumeSchema.safeParse(configurationOf(item));
  if (!parsed.success)
    throw new UnusableEventError(`AWS::EC2::Volume configuration: ${z.prettifyError(parsed.error)}`);
  const volume = parsed.data;
  return {
    ...base,
    state: {
      volumeId: volume.volumeId,
      encrypted: volume.encrypted,
      ...(volume.kmsKeyId ? { kmsKeyId: volume.kmsKeyId } : {}),
      attachedTo: attachedTargets(
        (volume.attachments ?? []).map((a) => ({
          target: a.instanceId ?? a.associatedResource ?? undefined,
          state: a.state,
        })),
      ),
      ...(volume.state ? { volumeState: volume.state } : {}),
      tags: { ...item.tags },
    },
  };
}
