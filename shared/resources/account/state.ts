/** One thing the root user did, as CloudTrail recorded it (never a request or response value). */
export interface RootActivity {
  /** e.g. `signin.amazonaws.com` */
  eventSource: string;
  /** e.g. `ConsoleLogin`, `CreateAccessKey` */
  eventName: string;
  eventTime: string;
  /** The `awsRegion` the event was logged in. */
  region: string;
  sourceIp?: string;
  userAgent?: string;
  /** ConsoleLogin's `additionalEventData.MFAUsed`; for API calls the session's `mfaAuthenticated`. */
  mfaUsed?: boolean;
}

/** Whether the root user has access keys (IAM.4), and how Vigil knows. */
export interface RootAccessKeys {
  present: boolean;
  /** `CreateAccessKey` (the event), `GetAccountSummary` (live read) or `credential report`. */
  source: string;
  /** The key the root user just created (an id, never the secret). */
  accessKeyId?: string;
}

/**
 * The account as root-user events show it. Both parts are optional: an event says only what it
 * says, and a check whose part is missing stays undecided (its finding is left as it is).
 */
export interface AccountState {
  accountId: string;
  /** Set for root activity Vigil watches (VIGIL.IAM.ROOT_ACTIVITY). */
  rootActivity?: RootActivity;
  rootAccessKeys?: RootAccessKeys;
  /** Always absent: the account carries no tags (exempt it in Vigil's config instead). */
  tags?: Record<string, string>;
}
