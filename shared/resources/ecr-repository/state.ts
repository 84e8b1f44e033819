/**
 * An ECR private repository as Vigil evaluates it. Every aspect is optional: a CloudTrail call only
 * describes what it changed, so `undefined` means "this source did not say" and the checks that need
 * that aspect report nothing (they never guess).
 */
export interface EcrRepositoryState {
  repositoryName: string;
  /** The account that owns the registry (usually the event's account). */
  registryId: string;
  repositoryArn: string;
  /** Tags when the source carried them (Config items, CreateRepository, a live read). */
  tags?: Record<string, string>;
  /** The repository-level scan-on-push flag. */
  scanOnPush?: boolean;
  /** The registry's scanning configuration, read live to confirm an ECR.1 violation. */
  registryScanning?: RegistryScanning;
  tagMutability?: TagMutability;
  encryption?: RepositoryEncryption;
  /** Whether a lifecycle policy exists; undefined when not known (e.g. right after CreateRepository). */
  hasLifecyclePolicy?: boolean;
  policy?: RepositoryPolicy;
  /**
   * What the adapter still has to read live before the checks run (`Observation.needsRefresh`):
   * the registry scanning configuration (to confirm scan-on-push off), or the whole repository
   * (to confirm a change that may have fixed something). Gone once read.
   */
  pendingRead?: "registry-scanning" | "whole-repository";
}

/** `GetRegistryScanningConfiguration`: the registry-wide scanning type and its rules. */
export interface RegistryScanning {
  /** `BASIC` or `ENHANCED` (Amazon Inspector). */
  scanType: string;
  rules: RegistryScanningRule[];
}

export interface RegistryScanningRule {
  /** `SCAN_ON_PUSH`, `CONTINUOUS_SCAN` or `MANUAL`. */
  scanFrequency: string;
  /** WILDCARD repository filters (the only filter type ECR has). */
  filters: string[];
}

export interface TagMutability {
  /** `MUTABLE`, `IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION`. */
  setting: string;
  /** Tag filters excluded from the setting (WILDCARD patterns such as `dev-*`). */
  exclusionFilters: string[];
}

/** `KeyMetadata.KeyManager` of a KMS key: AWS managed (`aws/ecr`) or customer managed. */
export type KeyManager = "AWS" | "CUSTOMER";

export interface RepositoryEncryption {
  /** `AES256`, `KMS` or `KMS_DSSE`. Fixed at creation. */
  type: string;
  /** The KMS key the creator named (id, ARN or alias); absent = the AWS managed key `aws/ecr`. */
  kmsKey?: string;
  /**
   * Who manages `kmsKey`, from `kms:DescribeKey` (read by the adapter's refresh). Undefined when
   * not read (yet); a key named by `alias/aws/ecr` or no key at all is AWS managed without a read.
   */
  keyManager?: KeyManager;
  /** Why DescribeKey could not tell (e.g. `AccessDeniedException`): ECR.5 then neither opens nor resolves. */
  keyManagerUnknown?: string;
}

/** A repository policy: none, or its statements (normalised from the JSON text). */
export type RepositoryPolicy = { kind: "none" } | { kind: "document"; statements: PolicyStatement[] };

export interface PolicyStatement {
  sid?: string;
  effect: string;
  /** `Principal: "*"` or `Principal: { "AWS": "*" }` (string or in a list). */
  anyPrincipal: boolean;
  /** The statement names a `NotPrincipal` (with Allow: everyone except those). */
  notPrincipal: boolean;
  actions: string[];
  /** `actions` come from `NotAction`. */
  notAction: boolean;
  conditions: PolicyCondition[];
}

export interface PolicyCondition {
  /** e.g. `StringEquals`, `ForAnyValue:StringLike`, `ArnLikeIfExists`. */
  operator: string;
  /** e.g. `aws:PrincipalOrgID`, as written. */
  key: string;
  values: string[];
}
