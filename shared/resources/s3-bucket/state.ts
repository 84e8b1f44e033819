import type { ResourcePolicyStatement } from "../resource-policy";

/**
 * An S3 general purpose bucket as Vigil evaluates it. Every aspect is optional: a CloudTrail call
 * only describes what it changed, so `undefined` means "this source did not say" and the checks
 * that need that aspect stay undecided (they never guess).
 */
export interface S3BucketState {
  bucketName: string;
  bucketArn: string;
  /** The account the bucket belongs to (the event's): every S3 call Vigil makes names it as the expected owner. */
  accountId: string;
  /**
   * The default encryption rules in force. Since January 2023 S3 applies SSE-S3 to every bucket,
   * so after `DeleteBucketEncryption` this is SSE-S3 (AES256).
   */
  encryption?: EncryptionRule[];
  /** Set when this event changed the default encryption (`PutBucketEncryption`/`DeleteBucketEncryption`). */
  encryptionChange?: SettingChange<EncryptionRule[] | null>;
  /** The bucket-level Block Public Access settings; null = the bucket has none (all four off). */
  publicAccessBlock?: PublicAccessBlock | null;
  /** Set when this event changed Block Public Access (`PutBucketPublicAccessBlock`/`DeleteBucketPublicAccessBlock`). */
  publicAccessBlockChange?: SettingChange<PublicAccessBlock | null>;
  /** The bucket policy; null = the bucket has none. */
  policy?: BucketPolicy | null;
  /**
   * Bucket-level `RestrictPublicBuckets`, read after a policy change: when on, S3 ignores what a
   * public policy grants to anyone outside the account. Kept apart from `publicAccessBlock` so a
   * policy change does not judge (and name its author on) Block Public Access findings.
   */
  restrictPublicBuckets?: boolean;
  /** What the adapter still has to read live before the checks run (`Observation.needsRefresh`). Gone once read. */
  pendingReads?: PendingRead[];
  tags?: Record<string, string>;
}

export type PendingRead = "encryption" | "public-access-block" | "policy" | "restrict-public-buckets";

/** One default encryption rule (S3 keeps one), as `GetBucketEncryption` names it. */
export interface EncryptionRule {
  /** `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse` (DSSE-KMS). */
  algorithm: string;
  /** The KMS key as configured (key id, key ARN or alias); absent = the AWS managed key `aws/s3`. */
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** Encryption types uploads may not use (e.g. `SSE-C`), when the rule blocks any. */
  blockedEncryptionTypes?: string[];
}

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export const PUBLIC_ACCESS_BLOCK_FLAGS = [
  "blockPublicAcls",
  "ignorePublicAcls",
  "blockPublicPolicy",
  "restrictPublicBuckets",
] as const satisfies readonly (keyof PublicAccessBlock)[];

/** A setting an event changed, and what it was just before (once the refresh has read it). */
export interface SettingChange<T> {
  call: string;
  before?: Previous<T>;
}

/** What a setting was before the event: known from AWS Config's history, or why it is not. */
export type Previous<T> = { known: true; value: T; capturedAt: string } | { known: false; reason: string };

export interface BucketPolicy {
  statements: BucketPolicyStatement[];
}

/** A bucket policy's statement; bucket policies name their resources (the bucket, its objects). */
export type BucketPolicyStatement = ResourcePolicyStatement;
