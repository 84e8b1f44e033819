/**
 * The parts of the EC2 SDK Vigil uses. Only ever imported through `loadEc2()` (./sdk), never
 * statically: the bundler tree-shakes the client to these exports and puts it in its own chunk.
 */
export {
  AuthorizeSecurityGroupIngressCommand,
  AuthorizeSecurityGroupEgressCommand,
  RevokeSecurityGroupEgressCommand,
  DescribeNetworkInterfacesCommand,
  DescribeFlowLogsCommand,
  DescribeTagsCommand,
  CreateTagsCommand,
  CreateNetworkAclEntryCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  ModifyInstanceMetadataOptionsCommand,
  ModifyInstanceAttributeCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
  RevokeSecurityGroupIngressCommand,
  paginateDescribeSecurityGroupRules,
} from "@aws-sdk/client-ec2";
