import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { makeEntry } from "./entry";
import { networkAclRef } from "./ref";
import type { AclEntry, NetworkAclState } from "./state";

const optionalInt = z.number().int().nullable().optional();

/** Config's `AWS::EC2::NetworkAcl` entry: camelCase, API style (`protocol` is a string, "-1" = all). */
const configEntrySchema = z.looseObject({
  ruleNumber: z.number().int(),
  egress: z.boolean(),
  protocol: z.union([z.string().min(1), z.number().int()]),
  ruleAction: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(["allow", "deny"])),
  cidrBlock: z.string().nullable().optional(),
  ipv6CidrBlock: z.string().nullable().optional(),
  portRange: z.looseObject({ from: optionalInt, to: optionalInt }).nullable().optional(),
  icmpTypeCode: z.looseObject({ type: optionalInt, code: optionalInt }).nullable().optional(),
});

const configAclSchema = z.looseObject({
  networkAclId: z.string().min(1),
  vpcId: z.string().nullable().optional(),
  isDefault: z.boolean().nullable().optional(),
  ownerId: z.string().nullable().optional(),
  // Required: an ACL always has its `*` entries, and an empty list would resolve open findings.
  entries: z.array(configEntrySchema),
  tags: z
    .array(z.looseObject({ key: z.string(), value: z.string() }))
    .nullable()
    .optional(),
});

function entryOf(raw: z.infer<typeof configEntrySchema>, aclId: string): AclEntry {
  const entry = makeEntry({
    ruleNumber: raw.ruleNumber,
    egress: raw.egress,
    protocol: raw.protocol,
    action: raw.ruleAction,
    cidrBlock: raw.cidrBlock,
    ipv6CidrBlock: raw.ipv6CidrBlock,
    fromPort: raw.portRange?.from,
    toPort: raw.portRange?.to,
    icmpType: raw.icmpTypeCode?.type,
    icmpCode: raw.icmpTypeCode?.code,
  });
  if (typeof entry === "string") throw new UnusableEventError(`network ACL ${aclId}: ${entry}`);
  return entry;
}

/** A Config item (notification or history) for a network ACL: every entry, tags included. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::EC2::NetworkAcl"> {
  const resource = networkAclRef(item.resourceId, item.awsAccountId, item.awsRegion);
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: true };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) return { ...base, state: undefined };

  const parsed = configAclSchema.safeParse(configurationOf(item));
  if (!parsed.success) {
    throw new UnusableEventError(
      `network ACL ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed.data;
  const state: NetworkAclState = {
    networkAclId: c.networkAclId,
    ...(c.vpcId ? { vpcId: c.vpcId } : {}),
    ...(typeof c.isDefault === "boolean" ? { isDefault: c.isDefault } : {}),
    ...(c.ownerId ? { ownerId: c.ownerId } : {}),
    wholeAcl: true,
    entries: c.entries.map((e) => entryOf(e, c.networkAclId)),
    tags: item.tags ?? Object.fromEntries((c.tags ?? []).map((t) => [t.key, t.value])),
  };
  return { ...base, state };
}
