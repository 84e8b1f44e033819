/**
 * What Vigil knows about one KMS key. Every aspect but the identity is optional: `undefined` means
 * "this source did not say", and the checks that need that aspect stay undecided.
 */
export interface KmsKeyState {
  keyId: string;
  keyArn: string;
  /** The key's Region: Vigil acts on it only from there. */
  region: string;
  /** What kind of key it is (DescribeKey, or CreateKey's answer): decides whether KMS.4 applies. */
  key?: KeyFacts;
  /** Automatic rotation of the key material (GetKeyRotationStatus, or the Enable/DisableKeyRotation call). */
  rotation?: KeyRotation;
  /** `ScheduleKeyDeletion` => the schedule; `CancelKeyDeletion` => null (no deletion pending). */
  deletion?: ScheduledDeletion | null;
  /** Why the live key could not be read (e.g. its key policy doesn't let Vigil in). */
  unreadable?: string;
  /** Why Vigil must not act on this key (its ARN names another account or Region than the call's). */
  outOfScope?: string;
  tags?: Record<string, string>;
}

export interface KeyFacts {
  /** `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, ... */
  keySpec: string;
  /** `CUSTOMER` or `AWS`. */
  keyManager: string;
  /** `AWS_KMS`, `EXTERNAL` (imported material), `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`. */
  origin: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, ... */
  keyState: string;
  /** `PRIMARY` or `REPLICA` for a multi-Region key. */
  multiRegionKeyType?: string;
}

export interface KeyRotation {
  enabled: boolean;
  /** Days between rotations, when KMS (or the call) says. */
  periodInDays?: number;
}

export interface ScheduledDeletion {
  /** When the deletion was scheduled (the call's time): the key's state before it is looked up as of then. */
  scheduledAt: string;
  /** When KMS will delete the key (ISO). Absent for a multi-Region primary with replicas: not known yet. */
  deletionDate?: string;
  /** The waiting period in days (7 to 30). */
  pendingWindowInDays?: number;
  /** `PendingDeletion`, or `PendingReplicaDeletion` for a multi-Region primary that still has replicas. */
  keyState?: string;
}
