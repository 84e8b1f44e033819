import type { ResourceRef } from "../../core/resource";
import { repositoryArn } from "../ecr-repository/ref";

export const ECR_IMAGE_TYPE = "AWS::ECR::Image";

/**
 * Id `<repository>@<digest>` (unique, stable across tags); name `<repository>:<tag>` when the push
 * tagged it. The ARN is the repository's: images have none of their own, and the repository is
 * where tags (exemptions) and policies live.
 */
export function ecrImageRef(
  registryId: string,
  region: string,
  repositoryName: string,
  digest: string,
  tag?: string,
): ResourceRef {
  return {
    type: ECR_IMAGE_TYPE,
    id: `${repositoryName}@${digest}`,
    arn: repositoryArn(region, registryId, repositoryName),
    account: registryId,
    region,
    ...(tag ? { name: `${repositoryName}:${tag}` } : {}),
  };
}
