/** The parts of the RDS SDK Vigil uses; only ever imported through `loadRds()` (./sdk). */
export {
  ListTagsForResourceCommand,
  RDSClient,
  paginateDescribeDBInstances,
  paginateDescribeDBClusters,
} from "@aws-sdk/client-rds";
