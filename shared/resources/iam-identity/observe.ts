import type { CheckContext } from "../../checks/define";
import { BUILT_IN_ADMIN_POLICIES } from "./judge";
import type { RefreshOptions } from "./refresh";
import type { IdentityGrants } from "./state";

/** True when every part the grants hold is the identity's whole list (so a clean result may resolve). */
export function grantsComplete(grants: IdentityGrants): boolean {
  return (grants.inline?.complete ?? true) && (grants.attached?.complete ?? true);
}

/** True when the refresh has something to fill in. */
export function grantsPartial(grants: IdentityGrants | undefined): boolean {
  return grants !== undefined && !grantsComplete(grants);
}

/** The refresh settings for a run: the configured admin policies (or the built-in one without a config). */
export function refreshOptions(context: CheckContext | undefined, namesOfOtherPart: boolean): RefreshOptions {
  return {
    adminPatterns: context?.config.iam.adminManagedPolicies ?? BUILT_IN_ADMIN_POLICIES,
    namesOfOtherPart,
  };
}
