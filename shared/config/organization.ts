import { z } from "zod";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** An organizational unit (`ou-ab12-cdef3456`) or the organisation's root (`r-ab12`). */
const ORGANIZATIONAL_UNIT = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
/** sts:AssumeRole's ExternalId: 2 to 1224 characters of `[\w+=,.@:/-]`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** IAM role names: up to 64 characters of `[\w+=,.@-]`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The role Vigil assumes in member accounts; its name starts like the loop guard's prefix. */
export const DEFAULT_MEMBER_ROLE_NAME = "vigil-remediation-member";

/**
 * Organisation mode (the `organization` section): this account is the organisation's central
 * security account (Organizations delegated administrator). A service-managed StackSet gives every
 * account of `organizationalUnits` (new ones too) a rule forwarding the watched events to this
 * account's bus and a role Vigil assumes there with `externalId`.
 */
export const organizationSettingsSchema = z
  .object({
    enabled: z.boolean().default(false),
    organizationId: z.string().regex(ORGANIZATION_ID, 'an organisation id like "o-a1b2c3d4e5"').optional(),
    /** Where the member stack goes (and new accounts there get it automatically). */
    organizationalUnits: z
      .array(
        z.string().regex(ORGANIZATIONAL_UNIT, 'an OU id like "ou-ab12-cdef3456" or a root id like "r-ab12"'),
      )
      .default([]),
    /** Name of the role Vigil assumes in each member account (reads and remediation). */
    memberRoleName: z.string().regex(ROLE_NAME, "an IAM role name").default(DEFAULT_MEMBER_ROLE_NAME),
    /** Passed as sts:ExternalId; the member role's trust requires it. */
    externalId: z
      .string()
      .regex(EXTERNAL_ID, "2-1224 characters of letters, digits and +=,.@:/-_")
      .optional(),
  })
  .strict()
  .prefault({})
  .superRefine((settings, ctx) => {
    if (!settings.enabled) return;
    if (!settings.organizationId)
      ctx.addIssue({ code: "custom", path: ["organizationId"], message: "required when enabled" });
    if (!settings.organizationalUnits.length)
      ctx.addIssue({
        code: "custom",
        path: ["organizationalUnits"],
        message: "at least one OU (or the root) when enabled",
      });
    if (!settings.externalId)
      ctx.addIssue({ code: "custom", path: ["externalId"], message: "required when enabled" });
  });

export type OrganizationSettings = z.infer<typeof organizationSettingsSchema>;

/**
 * Regions whose events reach Vigil besides the home Region (the `forwarding` section): the CDK app
 * deploys a forwarding stack to each (and, in organisation mode, the member StackSet covers them too).
 */
export const forwardingSettingsSchema = z
  .object({
    regions: z.array(z.string().regex(REGION, 'an AWS Region like "eu-west-1"')).max(30).default([]),
  })
  .strict()
  .prefault({});

export type ForwardingSettings = z.infer<typeof forwardingSettingsSchema>;
