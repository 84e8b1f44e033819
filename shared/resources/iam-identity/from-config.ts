import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError } from "../adapter";
import { IDENTITY, type IdentityKind } from "./kinds";
import type { IdentityGrants } from "./state";

/** What an AWS Config item of a user, role or group says. Documents are URL-encoded, as IAM's API returns them. */
export interface ConfigIdentity {
  name: string;
  /** The real ARN, path included. */
  arn?: string;
  path?: string;
  /** Undefined for a deleted identity (its findings resolve). */
  grants?: IdentityGrants;
  /** Roles: the trust policy, URL-encoded. */
  trustDocument?: string;
  /** Config's tag map; undefined when the item carries none (then tags are read live). */
  tags?: Record<string, string>;
  capturedAt: string;
}

const inlineSchema = z.looseObject({ policyName: z.string().min(1), policyDocument: z.string().min(1) });
const attachedSchema = z.looseObject({
  policyName: z.string().min(1).nullable().optional(),
  policyArn: z.string().min(1),
});
const list = <T extends z.ZodType>(item: T) => z.array(item).nullable().optional();

const configurationSchema = z.looseObject({
  arn: z.string().min(1).nullable().optional(),
  path: z.string().nullable().optional(),
  attachedManagedPolicies: list(attachedSchema),
  assumeRolePolicyDocument: z.string().min(1).nullable().optional(),
});

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new UnusableEventError(`${what}: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`);
  return parsed.data;
}

/**
 * An AWS Config item of a user (`userPolicyList`), role (`rolePolicyList`, `assumeRolePolicyDocument`) or
 * group (`groupPolicyList`), all with `attachedManagedPolicies`. Config keys IAM items by the unique id
 * (`AROA…`); Vigil keys them by name, as CloudTrail calls name them. A list Config leaves out is unknown,
 * not empty. Customer managed policies' documents are not in the item: the checks judge them only from
 * live reads (attach calls), so they stay unknown here.
 */
export function identityFromConfig(kind: IdentityKind, item: ConfigItem): ConfigIdentity {
  const names = IDENTITY[kind];
  const capturedAt = item.configurationItemCaptureTime;
  const tags = item.tags ?? undefined;
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) {
    if (!item.resourceName)
      throw new UnusableEventError(`${item.resourceType} deleted item names no ${kind}`);
    return { name: item.resourceName, capturedAt };
  }
  const raw = configurationOf(item);
  const what = `${item.resourceType} configuration`;
  const configuration = parseOrThrow(configurationSchema, raw, what);
  // The fields named after the kind (`roleName`, `rolePolicyList`, …).
  const fields = raw as Record<string, unknown>;
  const name = parseOrThrow(z.string().min(1), fields[names.nameField], `${what}.${names.nameField}`);
  const inline = parseOrThrow(
    list(inlineSchema),
    fields[names.configPolicyList],
    `${what}.${names.configPolicyList}`,
  );
  const attached = configuration.attachedManagedPolicies;
  const grants: IdentityGrants = {
    ...(inline
      ? {
          inline: {
            complete: true,
            policies: inline.map((p) => ({
              name: p.policyName,
              document: p.policyDocument,
              source: "Config",
            })),
          },
        }
      : {}),
    ...(attached
      ? {
          attached: {
            complete: true,
            policies: attached.map((p) => ({
              arn: p.policyArn,
              name: p.policyName ?? p.policyArn.split("/").pop() ?? p.policyArn,
              source: "Config",
            })),
          },
        }
      : {}),
  };
  return {
    name,
    ...(configuration.arn ? { arn: configuration.arn } : {}),
    ...(configuration.path ? { path: configuration.path } : {}),
    grants,
    ...(configuration.assumeRolePolicyDocument
      ? { trustDocument: configuration.assumeRolePolicyDocument }
      : {}),
    ...(tags ? { tags } : {}),
    capturedAt,
  };
}
