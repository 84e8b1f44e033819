/** Identifies one AWS resource the way findings, exemptions and alerts need it. */
export interface ResourceRef {
  /** CloudFormation-style type, e.g. `AWS::EC2::SecurityGroup`. */
  type: string;
  /** The service's own id, e.g. `sg-0123…`. */
  id: string;
  arn: string;
  account: string;
  region: string;
  name?: string;
}
