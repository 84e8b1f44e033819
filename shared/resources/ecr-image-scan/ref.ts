import type { ResourceRef } from "../../core/resource";
import { repositoryArn } from "../ecr-repository/ref";

export const IMAGE_SCAN_TYPE = "AWS::ECR::ImageScan";

/**
 * Id `<repository>@<digest>` (one finding per image, whatever its tags); name `<repository>:<tag>`.
 * The ARN is the repository's: images have none of their own, and the repository holds the
 * exemption tags.
 */
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
    arn: repositoryArn(region, registryId, repositoryName),
    account: registryId,
    region,
    ...(tag ? { name: `${repositoryName}:${tag}` } : {}),
  };
}
