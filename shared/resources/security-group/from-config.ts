import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { securityGroupRef } from "./ref";
import { makeRule } from "./rule-factory";
import type { IngressRule, SecurityGroupState } from "./state";

const text = z.string().nullable().optional();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullable().optional();

/** Config's `AWS::EC2::SecurityGroup` permission (camelCase, API style; `ipRanges` is the old plain-string list). */
const configPermissionSchema = z.looseObject({
  ipProtocol: z.union([z.string(), z.number()]),
  fromPort: z.number().nullable().optional(),
  toPort: z.number().nullable().optional(),
  ipv4Ranges: list(z.looseObject({ cidrIp: z.string(), description: text })),
  ipRanges: list(z.string()),
  ipv6Ranges: list(z.looseObject({ cidrIpv6: z.string(), description: text })),
  prefixListIds: list(z.looseObject({ prefixListId: z.string(), description: text })),
  userIdGroupPairs: list(
    z.looseObject({ groupId: z.string().optional(), userId: z.string().optional(), description: text }),
  ),
});

const configSecurityGroupSchema = z.looseObject({
  groupId: z.string(),
  groupName: z.string().optional(),
  vpcId: z.string().nullable().optional(),
  ownerId: z.string().optional(),
  ipPermissions: z.array(configPermissionSchema).default([]),
  // EC2-VPC groups always have this list; absent (nothing known) is kept apart from empty.
  ipPermissionsEgress: z.array(configPermissionSchema).nullable().optional(),
  tags: z
    .array(z.looseObject({ key: z.string(), value: z.string() }))
    .nullable()
    .optional(),
});

function permissionRules(p: z.infer<typeof configPermissionSchema>): IngressRule[] {
  const base = { protocol: p.ipProtocol, fromPort: p.fromPort ?? undefined, toPort: p.toPort ?? undefined };
  const rules: IngressRule[] = [];
  const v4 = p.ipv4Ranges?.length
    ? p.ipv4Ranges
    : (p.ipRanges ?? []).map((cidrIp) => ({ cidrIp, description: undefined }));
  for (const r of v4)
    rules.push(makeRule({ ...base, source: { kind: "cidr4", cidr: r.cidrIp }, description: r.description }));
  for (const r of p.ipv6Ranges ?? []) {
    rules.push(
      makeRule({ ...base, source: { kind: "cidr6", cidr: r.cidrIpv6 }, description: r.description }),
    );
  }
  for (const r of p.prefixListIds ?? []) {
    rules.push(
      makeRule({
        ...base,
        source: { kind: "prefix-list", prefixListId: r.prefixListId },
        description: r.description,
      }),
    );
  }
  for (const g of p.userIdGroupPairs ?? []) {
    if (!g.groupId) continue;
    rules.push(
      makeRule({
        ...base,
        source: { kind: "group", groupId: g.groupId, userId: g.userId },
        description: g.description,
      }),
    );
  }
  return rules;
}

/** A Config item (notification or history) for a security group: the whole group, tags included. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::EC2::SecurityGroup"> {
  const resource = securityGroupRef(
    item.resourceId,
    item.awsAccountId,
    item.awsRegion,
    item.resourceName ?? undefined,
  );
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: true };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) return { ...base, state: undefined };

  const raw = configurationOf(item);
  const parsed = configSecurityGroupSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UnusableEventError(
      `security group ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed.data;
  const tags = item.tags ?? Object.fromEntries((c.tags ?? []).map((t) => [t.key, t.value]));
  const state: SecurityGroupState = {
    groupId: c.groupId,
    ...(c.groupName ? { groupName: c.groupName } : {}),
    ...(c.vpcId ? { vpcId: c.vpcId } : {}),
    ...(c.ownerId ? { ownerId: c.ownerId } : {}),
    tags,
    ingress: c.ipPermissions.flatMap(permissionRules),
    ...(c.ipPermissionsEgress ? { egress: c.ipPermissionsEgress.flatMap(permissionRules) } : {}),
  };
  return { ...base, state };
}
