import { z } from "zod";

/** GuardDuty's severity scale (1.0-10.0; samples and older findings may go lower). */
const guardDutySeverity = z.number().min(0).max(10);

/**
 * Optional response to EC2 findings: move the instance onto a quarantine security group (one that
 * allows nothing, or only your forensics access). Off unless `enabled`; even then the check's mode
 * decides (`dry-run` by default: set `modes["VIGIL.GUARDDUTY.FINDING"]` to `auto` to act).
 */
const quarantineSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** The quarantine group, in the instances' VPC. Required when `enabled`. */
    securityGroupId: z
      .string()
      .regex(/^sg-[0-9a-f]{8,17}$/, 'a security group id like "sg-0123456789abcdef0"')
      .optional(),
    /**
     * Finding types that quarantine, `*` matching any run of characters (e.g.
     * `"CryptoCurrency:EC2/*"`, `"UnauthorizedAccess:EC2/*"`). Absent: every EC2 instance finding type.
     */
    findingTypes: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
    /** The lowest GuardDuty severity that quarantines (default 7.0: High and Critical). */
    minSeverity: guardDutySeverity.default(7),
    /**
     * An instance carrying this tag key is never quarantined; `vigil undo` sets it so the finding's
     * next republication doesn't quarantine the instance again.
     */
    optOutTagKey: z.string().min(1).max(128).default("vigil:no-quarantine"),
  })
  .strict()
  .refine((q) => !q.enabled || q.securityGroupId !== undefined, {
    message: "guardDuty.quarantine.securityGroupId is required when quarantine is enabled",
    path: ["securityGroupId"],
  })
  .prefault({});

/** GuardDuty findings (the `guardDuty` section of Vigil's config). */
export const guardDutySettingsSchema = z
  .object({
    /**
     * GuardDuty findings below this severity open no Vigil finding (default 0: all of them). Alerts
     * still follow `minNotifySeverity` (GuardDuty Low maps to LOW, Medium to MEDIUM, and so on).
     */
    minSeverity: guardDutySeverity.default(0),
    quarantine: quarantineSchema,
  })
  .strict()
  .prefault({});

export type GuardDutySettings = z.infer<typeof guardDutySettingsSchema>;
export type QuarantineSettings = GuardDutySettings["quarantine"];
