/** The four account-level S3 Block Public Access settings, named as the S3 Control API names them. */
export interface PublicAccessBlockFlags {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export const FLAG_NAMES = [
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
] as const satisfies readonly (keyof PublicAccessBlockFlags)[];

export type FlagName = (typeof FLAG_NAMES)[number];

/**
 * The account's S3 Block Public Access configuration (one per account, for all Regions) as a
 * CloudTrail call set it.
 */
export interface AccountPublicAccessBlockState {
  accountId: string;
  /** The flags the call set, or null after `DeleteAccountPublicAccessBlock` (no configuration: nothing blocked). */
  configuration: PublicAccessBlockFlags | null;
  /** The call's time: what was on before it is read from AWS Config history as of this instant. */
  changedAt: string;
  /** Always absent: an account setting has no tags (exempt it in Vigil's config instead). */
  tags?: Record<string, string>;
}

export function flagsOff(configuration: PublicAccessBlockFlags | null): FlagName[] {
  return FLAG_NAMES.filter((name) => configuration?.[name] !== true);
}

/** Flags built one by one (no casts): `on(name)` says whether that setting is on. */
export function flagsFrom(on: (name: FlagName) => boolean): PublicAccessBlockFlags {
  return {
    BlockPublicAcls: on("BlockPublicAcls"),
    IgnorePublicAcls: on("IgnorePublicAcls"),
    BlockPublicPolicy: on("BlockPublicPolicy"),
    RestrictPublicBuckets: on("RestrictPublicBuckets"),
  };
}
