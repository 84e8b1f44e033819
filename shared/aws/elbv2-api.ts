/** The parts of the Elastic Load Balancing v2 SDK Vigil uses; only ever imported through `loadElbv2()` (./sdk). */
export {
  ElasticLoadBalancingV2Client,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeListeners,
  paginateDescribeRules,
} from "@aws-sdk/client-elastic-load-balancing-v2";
