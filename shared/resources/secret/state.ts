/**
 * A Secrets Manager secret's metadata (never its value) as Vigil evaluates it. Every aspect but the
 * identity is optional: `undefined` means "this source did not say", and the checks that need
 * that aspect report nothing.
 */
export interface SecretState {
  arn: string;
  name: string;
  /** The instant this state describes (the observation's time): the checks measure ages from it. */
  asOf: string;
  /** Tags when the source carried them (DescribeSecret and Config items do). */
  tags?: Record<string, string>;
  rotationEnabled?: boolean;
  rotationLambdaArn?: string;
  rotationRules?: { automaticallyAfterDays?: number; scheduleExpression?: string; duration?: string };
  createdDate?: string;
  /** The last successful rotation. */
  lastRotatedDate?: string;
  /** The day the secret was last read (Secrets Manager keeps the date only, at midnight UTC). */
  lastAccessedDate?: string;
  /** Rotation is due on or before this date (only while rotation is enabled). */
  nextRotationDate?: string;
  /** Set when the secret is scheduled for deletion. */
  deletedDate?: string;
  /** The service that manages the secret (`rds`, `events`, ...), when it is not the account's own. */
  owningService?: string;
  /** A replica of a secret whose primary lives in another region (rotation happens on the primary). */
  replica?: boolean;
  /**
   * A rotation Secrets Manager reported as failed (the `RotationFailed` event) with no successful
   * rotation since. `step` is the rotation function's step that failed (`createSecret`,
   * `setSecret`, `testSecret`, `finishSecret`) when the event names it.
   */
  rotationFailure?: { at: string; step?: string; lambdaArn?: string };
  /**
   * A version staged AWSPENDING but not AWSCURRENT: a rotation started and never finished. `stuck`
   * once it is older than any rotation can take; Secrets Manager refuses new rotations until it is
   * cleared.
   */
  pendingRotation?: { since?: string; stuck: boolean };
}
