import type { ResourceRef } from "../../core/resource";

export const ECR_REPOSITORY_TYPE = "AWS::ECR::Repository";

/** The ARN partition of a region (`cn-north-1` -> `aws-cn`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function repositoryArn(region: string, registryId: string, repositoryName: string): string {
  return `arn:${partitionOf(region)}:ecr:${region}:${registryId}:repository/${repositoryName}`;
}

/** `arn:aws:ecr:us-east-1:111122223333:repository/orders/api` -> its region, registry and name. */
export function parseRepositoryArn(
  arn: string | null | undefined,
): { region: string; registryId: string; repositoryName: string } | undefined {
  const match = /^arn:[\w-]+:ecr:([\w-]+):(\d{12}):repository\/(.+)$/.exec(arn ?? "");
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { region: match[1], registryId: match[2], repositoryName: match[3] };
}

/** Findings key on the repository name (Config's resource id) in the registry's account. */
export function repositoryRef(
  repositoryName: string,
  registryId: string,
  region: string,
  arn?: string,
): ResourceRef {
  return {
    type: ECR_REPOSITORY_TYPE,
    id: repositoryName,
    arn: arn ?? repositoryArn(region, registryId, repositoryName),
    account: registryId,
    region,
    name: repositoryName,
  };
}
