import { z } from "zod";
import type { PasswordPolicy } from "./state";

/**
 * Password-policy values: parsing (CloudTrail's camelCase request, the API's answer), comparing
 * and strengthening. UpdateAccountPasswordPolicy does not support partial updates: a parameter
 * left out takes its default (length 6, every flag false, no expiry, no reuse prevention).
 */

const DEFAULT_MINIMUM_LENGTH = 6;

/** CloudTrail's types drift (NOTES §4.6): numbers and booleans may arrive as strings. */
const int = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const bool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/** `UpdateAccountPasswordPolicy` requestParameters: the whole new policy, camelCase. */
export const policyRequestSchema = z.looseObject({
  minimumPasswordLength: int.optional(),
  requireSymbols: bool.optional(),
  requireNumbers: bool.optional(),
  requireUppercaseCharacters: bool.optional(),
  requireLowercaseCharacters: bool.optional(),
  allowUsersToChangePassword: bool.optional(),
  maxPasswordAge: int.optional(),
  passwordReusePrevention: int.optional(),
  hardExpiry: bool.optional(),
});

/** The policy a request set: what it left out takes the API's default. */
export function policyFromRequest(request: z.infer<typeof policyRequestSchema>): PasswordPolicy {
  return {
    MinimumPasswordLength: request.minimumPasswordLength ?? DEFAULT_MINIMUM_LENGTH,
    RequireSymbols: request.requireSymbols ?? false,
    RequireNumbers: request.requireNumbers ?? false,
    RequireUppercaseCharacters: request.requireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: request.requireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: request.allowUsersToChangePassword ?? false,
    ...(request.maxPasswordAge ? { MaxPasswordAge: request.maxPasswordAge } : {}),
    ...(request.passwordReusePrevention ? { PasswordReusePrevention: request.passwordReusePrevention } : {}),
    HardExpiry: request.hardExpiry ?? false,
  };
}

/** The shape GetAccountPasswordPolicy answers (only the fields Vigil uses). */
export interface ApiPasswordPolicy {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
  AllowUsersToChangePassword?: boolean;
  ExpirePasswords?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

export function policyFromApi(api: ApiPasswordPolicy): PasswordPolicy {
  return {
    MinimumPasswordLength: api.MinimumPasswordLength ?? DEFAULT_MINIMUM_LENGTH,
    RequireSymbols: api.RequireSymbols === true,
    RequireNumbers: api.RequireNumbers === true,
    RequireUppercaseCharacters: api.RequireUppercaseCharacters === true,
    RequireLowercaseCharacters: api.RequireLowercaseCharacters === true,
    AllowUsersToChangePassword: api.AllowUsersToChangePassword === true,
    ...(api.MaxPasswordAge ? { MaxPasswordAge: api.MaxPasswordAge } : {}),
    ...(api.PasswordReusePrevention ? { PasswordReusePrevention: api.PasswordReusePrevention } : {}),
    HardExpiry: api.HardExpiry === true,
  };
}

export const FLAGS = [
  "RequireUppercaseCharacters",
  "RequireLowercaseCharacters",
  "RequireNumbers",
  "RequireSymbols",
] as const;
export type PolicyFlag = (typeof FLAGS)[number];

/** One setting a check requires: a flag on, a number at least (length, reuse) or at most (age). */
export type Requirement =
  | { setting: PolicyFlag; required: true }
  | { setting: "MinimumPasswordLength" | "PasswordReusePrevention"; required: number }
  | { setting: "MaxPasswordAge"; required: number };

/** A requirement the policy misses; `actual` null when the setting is unset (or there is no policy). */
export type Weakness = Requirement & { actual: number | boolean | null };

function meets(policy: PasswordPolicy | null, requirement: Requirement): boolean {
  if (!policy) return false;
  switch (requirement.setting) {
    case "MinimumPasswordLength":
      return policy.MinimumPasswordLength >= requirement.required;
    case "PasswordReusePrevention":
      return (policy.PasswordReusePrevention ?? 0) >= requirement.required;
    case "MaxPasswordAge":
      return policy.MaxPasswordAge !== undefined && policy.MaxPasswordAge <= requirement.required;
    default:
      return policy[requirement.setting];
  }
}

/** The requirements the policy misses (all of them when there is no policy). */
export function weaknesses(policy: PasswordPolicy | null, requirements: readonly Requirement[]): Weakness[] {
  return requirements
    .filter((r) => !meets(policy, r))
    .map((r) => ({ ...r, actual: policy ? (policy[r.setting] ?? null) : null }));
}

const minDefined = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const maxDefined = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/**
 * The stronger of two policies, setting by setting: longer minimum, each character type required
 * if either requires it, more passwords remembered, the shorter expiry. The other two settings
 * (whether users may change their password, hard expiry) are not strength: they come from `base`.
 */
export function strongest(base: PasswordPolicy, other: PasswordPolicy | null): PasswordPolicy {
  if (!other) return { ...base };
  const maxAge = minDefined(base.MaxPasswordAge, other.MaxPasswordAge);
  const reuse = maxDefined(base.PasswordReusePrevention, other.PasswordReusePrevention);
  return {
    MinimumPasswordLength: Math.max(base.MinimumPasswordLength, other.MinimumPasswordLength),
    RequireSymbols: base.RequireSymbols || other.RequireSymbols,
    RequireNumbers: base.RequireNumbers || other.RequireNumbers,
    RequireUppercaseCharacters: base.RequireUppercaseCharacters || other.RequireUppercaseCharacters,
    RequireLowercaseCharacters: base.RequireLowercaseCharacters || other.RequireLowercaseCharacters,
    AllowUsersToChangePassword: base.AllowUsersToChangePassword,
    ...(maxAge !== undefined ? { MaxPasswordAge: maxAge } : {}),
    ...(reuse !== undefined ? { PasswordReusePrevention: reuse } : {}),
    HardExpiry: base.HardExpiry,
  };
}

/** The policy raised just enough to meet every requirement; nothing else changes. */
export function raisedTo(policy: PasswordPolicy, requirements: readonly Requirement[]): PasswordPolicy {
  const out = { ...policy };
  for (const r of requirements) {
    switch (r.setting) {
      case "MinimumPasswordLength":
        out.MinimumPasswordLength = Math.max(out.MinimumPasswordLength, r.required);
        break;
      case "PasswordReusePrevention":
        out.PasswordReusePrevention = Math.max(out.PasswordReusePrevention ?? 0, r.required);
        break;
      case "MaxPasswordAge":
        out.MaxPasswordAge = Math.min(out.MaxPasswordAge ?? r.required, r.required);
        break;
      default:
        out[r.setting] = true;
    }
  }
  return out;
}

/**
 * Where a restore starts when nothing is known of a policy: the API's defaults, except that users
 * may change their own password (they must, to meet the new rules; IAM's console proposes the same).
 */
export const BLANK_POLICY: PasswordPolicy = {
  MinimumPasswordLength: DEFAULT_MINIMUM_LENGTH,
  RequireSymbols: false,
  RequireNumbers: false,
  RequireUppercaseCharacters: false,
  RequireLowercaseCharacters: false,
  AllowUsersToChangePassword: true,
  HardExpiry: false,
};

const KEYS = [
  "MinimumPasswordLength",
  ...FLAGS,
  "AllowUsersToChangePassword",
  "MaxPasswordAge",
  "PasswordReusePrevention",
  "HardExpiry",
] as const satisfies readonly (keyof PasswordPolicy)[];

export function samePolicy(a: PasswordPolicy | null, b: PasswordPolicy | null): boolean {
  if (a === null || b === null) return a === b;
  return KEYS.every((k) => a[k] === b[k]);
}

export function describePolicy(policy: PasswordPolicy | null): string {
  if (!policy) return "no password policy";
  return KEYS.filter((k) => policy[k] !== undefined)
    .map((k) => `${k}=${String(policy[k])}`)
    .join(" ");
}

export function describeRequirement(r: Requirement): string {
  if (r.setting === "MinimumPasswordLength" || r.setting === "PasswordReusePrevention")
    return `${r.setting}>=${r.required}`;
  if (r.setting === "MaxPasswordAge") return `${r.setting}<=${r.required}`;
  return `${r.setting}=true`;
}

/** zod schema of a policy as Vigil stores it (undo payloads). */
export const passwordPolicySchema = z.object({
  MinimumPasswordLength: z.number().int().min(6).max(128),
  RequireSymbols: z.boolean(),
  RequireNumbers: z.boolean(),
  RequireUppercaseCharacters: z.boolean(),
  RequireLowercaseCharacters: z.boolean(),
  AllowUsersToChangePassword: z.boolean(),
  MaxPasswordAge: z.number().int().min(1).max(1095).optional(),
  PasswordReusePrevention: z.number().int().min(1).max(24).optional(),
  HardExpiry: z.boolean(),
});
