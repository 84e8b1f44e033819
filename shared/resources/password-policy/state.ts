/** An account password policy, in UpdateAccountPasswordPolicy's own field names. */
export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  /** Days a password is valid; absent: passwords never expire. */
  MaxPasswordAge?: number;
  /** How many previous passwords are remembered; absent: none. */
  PasswordReusePrevention?: number;
  HardExpiry: boolean;
}

/** The account's password policy as a CloudTrail call set it. */
export interface PasswordPolicyState {
  accountId: string;
  /** The whole policy the call set, or null after DeleteAccountPasswordPolicy (no policy at all). */
  policy: PasswordPolicy | null;
  /** The call's time: the policy in force before it is looked up in CloudTrail's event history. */
  changedAt: string;
  /** The Region the call was logged in (us-east-1 for IAM in the `aws` partition): its event history is there. */
  changeRegion: string;
  /** Always absent: the policy carries no tags (exempt it in Vigil's config instead). */
  tags?: Record<string, string>;
}
