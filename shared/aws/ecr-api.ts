/**
 * The parts of the ECR SDK Vigil uses. Only ever imported through `loadEcr()` (./sdk), never
 * statically, so the client lands in its own chunk and loads on first use.
 */
export {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  TagResourceCommand,
  paginateDescribeImageScanFindings,
  paginateDescribeRepositories,
  // The sweep's image listing (shared/sweep/collectors/ecr-image-scans.ts).
  paginateDescribeImages,
} from "@aws-sdk/client-ecr";
