import { z } from "zod";

/**
 * IAM thresholds, named as the AWS Config rules behind the controls name their parameters. The `iam`
 * section of Vigil's config.
 */
export const iamSettingsSchema = z
  .object({
    /** IAM.7 (iam-password-policy): defaults as Security Hub's; reuse and age have no default. */
    passwordPolicy: z
      .object({
        RequireUppercaseCharacters: z.boolean().default(true),
        RequireLowercaseCharacters: z.boolean().default(true),
        RequireSymbols: z.boolean().default(true),
        RequireNumbers: z.boolean().default(true),
        MinimumPasswordLength: z.number().int().min(6).max(128).default(8),
        PasswordReusePrevention: z.number().int().min(1).max(24).optional(),
        MaxPasswordAge: z.number().int().min(1).max(1095).optional(),
      })
      .strict()
      .prefault({}),
    /** IAM.15 (CIS 1.8): minimum password length. */
    cisMinimumPasswordLength: z.number().int().min(6).max(128).default(14),
    /** IAM.16 (CIS 1.9): passwords remembered. */
    cisPasswordReusePrevention: z.number().int().min(1).max(24).default(24),
    /** IAM.3 (access-keys-rotated maxAccessKeyAge): days. */
    maxAccessKeyAge: z.number().int().min(1).max(3650).default(90),
    /** IAM.8 (iam-user-unused-credentials-check maxCredentialUsageAge): days. */
    maxCredentialUsageAge: z.number().int().min(1).max(3650).default(90),
    /** IAM.22 (CIS 1.12): days. */
    cisMaxCredentialUsageAge: z.number().int().min(1).max(3650).default(45),
    /**
     * VIGIL.IAM.RISKY_TRUST: accounts (12-digit ids) whose principals a role may trust without an
     * `sts:ExternalId` or organisation condition, e.g. your own organisation's accounts. The role's own
     * account always counts as known.
     */
    knownAccounts: z.array(z.string().regex(/^\d{12}$/, "an account id is 12 digits")).default([]),
    /**
     * VIGIL.IAM.ADMIN_POLICY_ATTACHED_*: managed policy ARN patterns (`*` and `?` wildcards, as in a
     * policy's Resource) that count as administrator access when attached, without reading their
     * document. The default is AWS's AdministratorAccess in every partition; add admin-equivalent ones
     * such as `arn:*:iam::aws:policy/IAMFullAccess` (whoever holds it can grant itself anything) if you
     * want those reported too. Customer managed policies not listed here are judged by their default
     * version's document.
     */
    adminManagedPolicies: z
      .array(z.string().regex(/^arn:[^:]+:iam::[^:]+:policy\/.+/, "a managed policy ARN (pattern)"))
      .default(["arn:*:iam::aws:policy/AdministratorAccess"]),
  })
  .strict()
  .prefault({});

export type IamSettings = z.infer<typeof iamSettingsSchema>;
