/** The parts of the EKS SDK Vigil uses; only ever imported through `loadEks()` (./sdk). */
export {
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateClusterConfigCommand,
} from "@aws-sdk/client-eks";
