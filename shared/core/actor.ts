/** Who made a change, as CloudTrail tells it. Never holds secrets (no access key secrets exist in events). */
export interface Actor {
  /** CloudTrail `userIdentity.type`: IAMUser, AssumedRole, Root, AWSService, FederatedUser, … */
  type: string;
  arn?: string;
  principalId?: string;
  accountId?: string;
  userName?: string;
  /** For assumed roles: the role behind the session (stable across sessions). */
  sessionIssuerArn?: string;
  accessKeyId?: string;
  sourceIp?: string;
  userAgent?: string;
  /** Set when an AWS service (e.g. CloudFormation) acted for the principal. */
  invokedBy?: string;
  mfaAuthenticated?: boolean;
  fromConsole?: boolean;
}
