import type { RemediationDefinition } from "./define";
import enableEcrScanOnPush from "./enable-ecr-scan-on-push";
import registerHardenedTaskDefinition from "./register-hardened-task-definition";
import restoreCloudTrailLogging from "./restore-cloudtrail-logging";
import restoreCloudTrailKmsKey from "./restore-cloudtrail-kms-key";
import restoreGuardDutyDetector from "./restore-guardduty-detector";
import cancelKmsKeyDeletion from "./cancel-kms-key-deletion";
import enableKmsKeyRotation from "./enable-kms-key-rotation";
import revokeSecurityGroupIngress from "./revoke-security-group-ingress";
import removeDefaultSecurityGroupRules from "./remove-default-security-group-rules";
import deleteNetworkAclEntry from "./delete-network-acl-entry";
import requireImdsv2 from "./require-imdsv2";
import enableEbsDefaultEncryption from "./enable-ebs-default-encryption";
import restoreAccountPublicAccessBlock from "./restore-account-public-access-block";
import restartConfigRecorder from "./restart-config-recorder";
import restoreS3BucketEncryption from "./restore-s3-bucket-encryption";
import restoreS3BucketPublicAccessBlock from "./restore-s3-bucket-public-access-block";
import addS3SecureTransportDeny from "./add-s3-secure-transport-deny";
import restorePasswordPolicy from "./restore-password-policy";
import deactivateAccessKey from "./deactivate-access-key";
import revertPolicyDefaultVersion from "./revert-policy-default-version";
import { detachAdminPolicy } from "./detach-admin-policy";
import { deleteInlineAdminPolicy } from "./delete-inline-admin-policy";
import enableEksAuditLogging from "./enable-eks-audit-logging";
import quarantineInstance from "./quarantine-instance";

/** Every remediation Vigil can run. Checks refer to them by id. Adding one = one file + one line here. */
export const remediations: readonly RemediationDefinition[] = [
  revokeSecurityGroupIngress,
  removeDefaultSecurityGroupRules,
  enableEcrScanOnPush,
  registerHardenedTaskDefinition,
  restoreCloudTrailLogging,
  restoreCloudTrailKmsKey,
  restoreGuardDutyDetector,
  cancelKmsKeyDeletion,
  enableKmsKeyRotation,
  deleteNetworkAclEntry,
  requireImdsv2,
  enableEbsDefaultEncryption,
  restoreAccountPublicAccessBlock,
  restartConfigRecorder,
  restoreS3BucketEncryption,
  restoreS3BucketPublicAccessBlock,
  addS3SecureTransportDeny,
  restorePasswordPolicy,
  deactivateAccessKey,
  revertPolicyDefaultVersion,
  ...detachAdminPolicy,
  ...deleteInlineAdminPolicy,
  enableEksAuditLogging,
  quarantineInstance,
];

export function remediationById(id: string): RemediationDefinition | undefined {
  return remediations.find((remediation) => remediation.id === id);
}
