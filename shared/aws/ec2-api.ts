/**
 * The parts of the EC2 SDK Vigil uses. Only ever imported through `loadEc2()` (./sdk), never
 * statically: the bundler tree-shakes the client to these exports and puts it in its own chunk.
 */
export {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  paginateDescribeSecurityGroupRules,
} from "@aws-sdk/client-ec2";
