import type { ResourceRef } from "../../core/resource";

export const RDS_DB_INSTANCE_TYPE = "AWS::RDS::DBInstance";

const RDS_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(?:db|cluster):[A-Za-z0-9-]+$/;

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The ARN of an instance (`db`) or cluster (`cluster`) named by identifier, when a source carries none. */
export function rdsArn(
  kind: "db" | "cluster",
  identifier: string,
  scope: { account: string; region: string },
) {
  return `arn:${partitionOf(scope.region)}:rds:${scope.region}:${scope.account}:${kind}:${identifier}`;
}

/** The region and account an RDS ARN names, or undefined when it isn't one. */
export function rdsArnScope(arn: string): { region: string; account: string } | undefined {
  const match = RDS_ARN.exec(arn);
  return match?.[1] && match[2] ? { region: match[1], account: match[2] } : undefined;
}

/**
 * Findings key on the DbiResourceId (`db-…`), as Config does: it survives a rename, and an instance
 * re-created under an old identifier is a new instance with findings of its own.
 */
export function dbInstanceRef(
  instance: { dbiResourceId: string; dbInstanceArn: string; dbInstanceIdentifier: string },
  fallback: { account: string; region: string },
): ResourceRef {
  const scope = rdsArnScope(instance.dbInstanceArn) ?? fallback;
  return {
    type: RDS_DB_INSTANCE_TYPE,
    id: instance.dbiResourceId,
    arn: instance.dbInstanceArn,
    account: scope.account,
    region: scope.region,
    name: instance.dbInstanceIdentifier,
  };
}
