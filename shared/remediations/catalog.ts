import type { RemediationDefinition } from "./define";
import revokeSecurityGroupIngress from "./revoke-security-group-ingress";

/** Every remediation Vigil can run. Checks refer to them by id. */
export const remediations: readonly RemediationDefinition[] = [revokeSecurityGroupIngress];

export function remediationById(id: string): RemediationDefinition | undefined {
  return remediations.find((remediation) => remediation.id === id);
}
