/** The parts of the CloudFront SDK Vigil uses; only ever imported through `loadCloudFront()` (./sdk). */
export {
  CloudFrontClient,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  paginateListDistributions,
} from "@aws-sdk/client-cloudfront";
