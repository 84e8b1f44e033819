import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { flag } from "../ec2-instance/event-parsing";
import { subnetRef } from "./ref";
import type { SubnetState } from "./state";

/** Config's `AWS::EC2::Subnet` configuration: the EC2 API's subnet, camelCase. */
const configSubnetSchema = z.looseObject({
  subnetId: z.string().min(1),
  vpcId: z.string().nullable().optional(),
  mapPublicIpOnLaunch: flag,
  defaultForAz: flag.nullable().optional(),
  tags: z
    .array(z.looseObject({ key: z.string(), value: z.string().nullable().optional() }))
    .nullable()
    .optional(),
});

/** A Config item (notification or history) for a subnet: the whole subnet, tags included. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::EC2::Subnet"> {
  const resource = subnetRef(item.resourceId, item.awsAccountId, item.awsRegion);
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: true };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) return { ...base, state: undefined };
  const parsed = configSubnetSchema.safeParse(configurationOf(item));
  if (!parsed.success) {
    throw new UnusableEventError(
      `subnet ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`,
    );
  }
  const c = parsed.data;
  const state: SubnetState = {
    subnetId: c.subnetId,
    ...(c.vpcId ? { vpcId: c.vpcId } : {}),
    mapPublicIpOnLaunch: c.mapPublicIpOnLaunch,
    ...(typeof c.defaultForAz === "boolean" ? { defaultForAz: c.defaultForAz } : {}),
    tags: item.tags ?? Object.fromEntries((c.tags ?? []).map((t) => [t.key, t.value ?? ""])),
  };
  return { ...base, state };
}
