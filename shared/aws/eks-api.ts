/** The parts of the EKS SDK Vigil uses; only ever imported through `loadEks()` (./sdk). */
export {
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateClusterConfigCommand,
  // The sweep's listing (shared/sweep/collectors/eks-clusters.ts).
  paginateListClusters,
} from "@aws-sdk/client-eks";
