/**
 * EBS encryption by default: one account-and-Region setting (not a resource), as a CloudTrail
 * call states it. The default KMS key is a separate setting that neither call changes.
 */
export interface EbsDefaultEncryptionState {
  account: string;
  region: string;
  /** Whether new EBS volumes and snapshot copies in this Region are encrypted by default. */
  enabled: boolean;
  /** Always absent: an account setting has no tags (exempt it in Vigil's config instead). */
  tags?: Record<string, string>;
}
