import type { ResourceRef } from "../../core/resource";

export const IMAGE_SCAN_TYPE = "AWS::ECR::ImageScan";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The repository's ARN: images have none of their own, and the repository holds the exemption tags. */
export function repositoryArn(registryId: string, region: string, repositoryName: string): string {
  return `arn:${partitionOf(region)}:ecr:${region}:${registryId}:repository/${repositoryName}`;
}

/** Id `<repository>@<digest>` (one finding per image, whatever its tags); name `<repository>:<tag>`. */
export function imageScanRef(
  registryId: string,
  region: string,
  repositoryName: string,
  digest: string,
  tags: readonly string[] = [],
): ResourceRef {
  const tag = tags[0];
  return {
    type: IMAGE_SCAN_TYPE,
    id: `${repositoryName}@${digest}`,
    arn: repositoryArn(registryId, region, repositoryName),
    account: registryId,
    region,
    ...(tag ? { name: `${repositoryName}:${tag}` } : {}),
  };
}
