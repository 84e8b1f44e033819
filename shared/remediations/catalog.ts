import type { RemediationDefinition } from "./define";
import enableEcrScanOnPush from "./enable-ecr-scan-on-push";
import registerHardenedTaskDefinition from "./register-hardened-task-definition";
import restoreCloudTrailLogging from "./restore-cloudtrail-logging";
import restoreGuardDutyDetector from "./restore-guardduty-detector";
import revokeSecurityGroupIngress from "./revoke-security-group-ingress";

/** Every remediation Vigil can run. Checks refer to them by id. Adding one = one file + one line here. */
export const remediations: readonly RemediationDefinition[] = [
  revokeSecurityGroupIngress,
  enableEcrScanOnPush,
  registerHardenedTaskDefinition,
  restoreCloudTrailLogging,
  restoreGuardDutyDetector,
];

export function remediationById(id: string): RemediationDefinition | undefined {
  return remediations.find((remediation) => remediation.id === id);
}
