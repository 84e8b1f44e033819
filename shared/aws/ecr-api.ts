/**
 * The parts of the ECR SDK Vigil uses. Only ever imported through `loadEcr()` (./sdk), never
 * statically, so the client lands in its own chunk and loads on first use.
 */
export {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  paginateDescribeImageScanFindings,
} from "@aws-sdk/client-ecr";
