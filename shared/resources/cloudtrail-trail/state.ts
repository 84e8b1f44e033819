/**
 * What one CloudTrail call says about one trail. Every setting is optional: a call names only what
 * it changed, and a check whose setting is unknown stays undecided (its finding is left as it is).
 */
export interface TrailState {
  trailArn: string;
  trailName: string;
  /** `StopLogging` => false, `StartLogging` => true. */
  logging?: boolean;
  /** From `UpdateTrail`'s response (the trail's new settings). */
  logFileValidation?: boolean;
  /** Set only when the `UpdateTrail` request itself set `isMultiRegionTrail` (the response holds the result). */
  multiRegion?: boolean;
  /** Needed to restore multi-region: AWS rejects a multi-region trail without global service events. */
  includeGlobalServiceEvents?: boolean;
  /** From `UpdateTrail`'s response: the key ARN, or null when the trail is not KMS-encrypted. */
  kmsKeyId?: string | null;
  /**
   * When the `UpdateTrail` call happened (its event time): the key restore looks in AWS Config's history
   * from before it. Absent when the state is not from a call (a sweep): the history up to now is read.
   */
  changedAt?: string;
  /**
   * True after `DeleteTrail`. A deletion is modelled as a state (not `state: undefined`) because
   * the pipeline resolves every finding of a deleted resource, and this deletion IS the violation.
   */
  deleted?: boolean;
  /** Why Vigil must not act on this trail (its ARN names another account or region than the call's). */
  outOfScope?: string;
  tags?: Record<string, string>;
}
