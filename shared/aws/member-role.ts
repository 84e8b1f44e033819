import type { OrganizationSettings } from "../config/organization";
import type { RoleTarget } from "./clients";

/**
 * The role Vigil acts as in `account`: undefined for its own (home) account or outside organisation
 * mode, where the function's own credentials (and the home remediation role) apply.
 */
export function memberRole(
  organization: OrganizationSettings,
  account: string,
  homeAccount: string | undefined,
  partition = "aws",
): RoleTarget | undefined {
  if (!organization.enabled || account === homeAccount) return undefined;
  return {
    roleArn: `arn:${partition}:iam::${account}:role/${organization.memberRoleName}`,
    ...(organization.externalId ? { externalId: organization.externalId } : {}),
  };
}
