import { z } from "zod";

/**
 * Security Hub (the `securityHub` section of Vigil's config). With `export` on, the scheduled
 * sweep sends the findings each unit touched to Security Hub in their own account and Region
 * (BatchImportFindings, then BatchUpdateFindings for workflow changes), and the stack grants the
 * sweep worker those two actions. Off by default: Security Hub must be enabled in every swept Region.
 */
export const securityHubSettingsSchema = z
  .object({
    export: z.boolean().default(false),
  })
  .strict()
  .prefault({});

export type SecurityHubSettings = z.infer<typeof securityHubSettingsSchema>;
