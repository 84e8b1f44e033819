import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { instanceRef } from "./ref";
import type { Ec2InstanceState } from "./state";

/** Instances on their way out, or gone: nothing left to judge, their findings resolve. */
export const ENDING_STATES = ["shutting-down", "terminated"];

const text = z.string().nullable().optional();

/** Config's `AWS::EC2::Instance` configuration: the EC2 API's instance, camelCase. */
const configInstanceSchema = z.looseObject({
  instanceId: z.string().min(1),
  state: z.looseObject({ name: z.string() }).nullable().optional(),
  subnetId: text,
  vpcId: text,
  publicIpAddress: text,
  networkInterfaces: z
    .array(z.looseObject({ association: z.looseObject({ publicIp: text }).nullable().optional() }))
    .nullable()
    .optional(),
  metadataOptions: z.looseObject({ httpTokens: text, httpEndpoint: text }).nullable().optional(),
  tags: z
    .array(z.looseObject({ key: z.string(), value: z.string().nullable().optional() }))
    .nullable()
    .optional(),
});

/** A Config item (notification or history) for an instance: the whole instance, tags included. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::EC2::Instance"> {
  const resource = instanceRef(item.resourceId, item.awsAccountId, item.awsRegion);
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: true };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) return { ...base, state: undefined };

  const parsed = configInstanceSchema.safeParse(configurationOf(item));
  if (!parsed.success) {
    throw new UnusableEventError(
      `instance ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`,
    );
  }
  const c = parsed.data;
  if (ENDING_STATES.includes(c.state?.name ?? "")) return { ...base, state: undefined };
  const address =
    c.publicIpAddress ?? c.networkInterfaces?.find((ni) => ni.association?.publicIp)?.association?.publicIp;
  const options = c.metadataOptions;
  const state: Ec2InstanceState = {
    instanceId: c.instanceId,
    ...(c.subnetId ? { subnetId: c.subnetId } : {}),
    ...(c.vpcId ? { vpcId: c.vpcId } : {}),
    ...(options
      ? {
          metadataOptions: {
            ...(options.httpTokens ? { httpTokens: options.httpTokens } : {}),
            ...(options.httpEndpoint ? { httpEndpoint: options.httpEndpoint } : {}),
          },
        }
      : {}),
    publicIpv4: address ? { source: "instance", address } : null,
    tags: item.tags ?? Object.fromEntries((c.tags ?? []).map((t) => [t.key, t.value ?? ""])),
  };
  return { ...base, state };
}
