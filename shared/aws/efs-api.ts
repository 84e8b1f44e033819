/** The parts of the EFS SDK Vigil uses; only ever imported through `loadEfs()` (./sdk). */
export { DescribeFileSystemsCommand, EFSClient, paginateDescribeFileSystems } from "@aws-sdk/client-efs";
