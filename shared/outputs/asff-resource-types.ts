/**
 * Vigil's CloudFormation-style resource types -> ASFF `Resources[].Type`. Only types Security Hub
 * defines (the `ResourceDetails` members of @aws-sdk/client-securityhub, plus `AwsAccount`, which
 * Security Hub uses for account-level controls such as IAM.4, IAM.7, EC2.7 and S3.1's peers).
 * Anything else is `Other` rather than a made-up name.
 */
const ASFF_RESOURCE_TYPES: Record<string, string> = {
  "AWS::EC2::SecurityGroup": "AwsEc2SecurityGroup",
  "AWS::EC2::Instance": "AwsEc2Instance",
  "AWS::EC2::Volume": "AwsEc2Volume",
  "AWS::EC2::VPC": "AwsEc2Vpc",
  "AWS::EC2::Subnet": "AwsEc2Subnet",
  "AWS::EC2::NetworkAcl": "AwsEc2NetworkAcl",
  "AWS::EC2::NetworkInterface": "AwsEc2NetworkInterface",
  // An account-wide EC2 setting: Security Hub reports EC2.7 on the account.
  "AWS::EC2::EbsEncryptionByDefault": "AwsAccount",
  "AWS::ECR::Repository": "AwsEcrRepository",
  "AWS::ECR::Image": "AwsEcrContainerImage",
  "AWS::ECR::ImageScan": "AwsEcrContainerImage",
  "AWS::ECS::TaskDefinition": "AwsEcsTaskDefinition",
  "AWS::ECS::Cluster": "AwsEcsCluster",
  "AWS::ECS::Service": "AwsEcsService",
  "AWS::Lambda::Function": "AwsLambdaFunction",
  "AWS::SecretsManager::Secret": "AwsSecretsManagerSecret",
  "AWS::CloudTrail::Trail": "AwsCloudTrailTrail",
  "AWS::GuardDuty::Detector": "AwsGuardDutyDetector",
  "AWS::KMS::Key": "AwsKmsKey",
  "AWS::S3::Bucket": "AwsS3Bucket",
  "AWS::S3::AccountPublicAccessBlock": "AwsS3AccountPublicAccessBlock",
  "AWS::RDS::DBInstance": "AwsRdsDbInstance",
  "AWS::RDS::DBCluster": "AwsRdsDbCluster",
  "AWS::SQS::Queue": "AwsSqsQueue",
  "AWS::SNS::Topic": "AwsSnsTopic",
  "AWS::ElasticLoadBalancingV2::LoadBalancer": "AwsElbv2LoadBalancer",
  "AWS::CloudFront::Distribution": "AwsCloudFrontDistribution",
  "AWS::IAM::User": "AwsIamUser",
  "AWS::IAM::Role": "AwsIamRole",
  "AWS::IAM::Group": "AwsIamGroup",
  "AWS::IAM::Policy": "AwsIamPolicy",
  "AWS::IAM::AccountPasswordPolicy": "AwsAccount",
  "AWS::::Account": "AwsAccount",
  "AWS::EKS::Cluster": "AwsEksCluster",
  "AWS::DynamoDB::Table": "AwsDynamoDbTable",
};

export function asffResourceType(cloudFormationType: string): string {
  return ASFF_RESOURCE_TYPES[cloudFormationType] ?? "Other";
}
