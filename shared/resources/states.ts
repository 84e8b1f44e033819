import type { EcrImageState } from "./ecr-image/state";
import type { EcrImageScanState } from "./ecr-image-scan/state";
import type { EcrRegistryState } from "./ecr-registry/state";
import type { EcrRepositoryState } from "./ecr-repository/state";
import type { EcsTaskDefinitionState } from "./ecs-task-definition/state";
import type { LambdaFunctionState } from "./lambda-function/state";
import type { SecretState } from "./secret/state";
import type { SecurityGroupState } from "./security-group/state";
import type { VpcFlowLogsState } from "./vpc-flow-logs/state";
import type { TrailState } from "./cloudtrail-trail/state";
import type { DetectorState } from "./guardduty-detector/state";
import type { EbsVolumeState } from "./ebs-volume/state";
import type { KmsKeyState } from "./kms-key/state";
import type { NetworkAclState } from "./network-acl/state";
import type { Ec2InstanceState } from "./ec2-instance/state";
import type { SubnetState } from "./subnet/state";
import type { EbsDefaultEncryptionState } from "./ebs-default-encryption/state";
import type { AccountPublicAccessBlockState } from "./account-public-access-block/state";
import type { ConfigRecorderState, DeliveryChannelState } from "./config-recorder/state";
import type { ListenerState } from "./elbv2-listener/state";
import type { DistributionState } from "./cloudfront-distribution/state";
import type { S3BucketState } from "./s3-bucket/state";
import type { RdsDbInstanceState } from "./rds-db-instance/state";
import type { RdsDbClusterState } from "./rds-db-cluster/state";
import type { SqsQueueState } from "./sqs-queue/state";
import type { SnsTopicState } from "./sns-topic/state";
import type { EfsFileSystemState } from "./efs-file-system/state";
import type { AccountState } from "./account/state";
import type { IamUserState } from "./iam-user/state";
import type { PasswordPolicyState } from "./password-policy/state";
import type { IamPolicyState } from "./iam-policy/state";
import type { IamRoleState } from "./iam-role/state";
import type { IamGroupState } from "./iam-group/state";
import type { EksWorkloadState } from "./eks-workload/state";
import type { EksNamespaceState } from "./eks-namespace/state";
import type { EksClusterState } from "./eks-cluster/state";
import type { GuardDutyFindingState } from "./guardduty-finding/state";
import type { AccountRegionState } from "./account-region/state";

/**
 * The observed state of each resource type Vigil evaluates, keyed by CloudFormation type (or, where
 * CloudFormation has none, an `AWS::<Service>::<Thing>` name in the same style).
 * Adding a resource type = adding its state type here and an adapter in `resources/`.
 * Every state may carry the resource's tags (for exemptions) when its source does.
 */
export interface ResourceStates {
  "AWS::EC2::SecurityGroup": SecurityGroupState;
  /** A VPC's flow logging (EC2.6), as flow-log calls and the reads they call for show it. */
  "AWS::EC2::VPC": VpcFlowLogsState;
  "AWS::ECR::Repository": EcrRepositoryState;
  "AWS::ECR::Registry": EcrRegistryState;
  /** One pushed image (repository + digest): its manifest and configuration, checked at push. */
  "AWS::ECR::Image": EcrImageState;
  /** One image's vulnerability scan results (ECR basic scanning or Amazon Inspector). */
  "AWS::ECR::ImageScan": EcrImageScanState;
  /** A task-definition family; only its latest ACTIVE revision counts. */
  "AWS::ECS::TaskDefinition": EcsTaskDefinitionState;
  "AWS::Lambda::Function": LambdaFunctionState;
  "AWS::SecretsManager::Secret": SecretState;
  "AWS::CloudTrail::Trail": TrailState;
  "AWS::GuardDuty::Detector": DetectorState;
  /** One EBS volume: its encryption and what it is attached to. */
  "AWS::EC2::Volume": EbsVolumeState;
  /** One KMS key: its kind, rotation and any scheduled deletion. */
  "AWS::KMS::Key": KmsKeyState;
  /** A network ACL with all its entries (CloudTrail shows one entry; the adapter reads the rest). */
  "AWS::EC2::NetworkAcl": NetworkAclState;
  /** One instance: its metadata options (IMDS) and public IPv4 address. */
  "AWS::EC2::Instance": Ec2InstanceState;
  "AWS::EC2::Subnet": SubnetState;
  /** EBS encryption by default: one setting per account and Region (no CloudFormation type). */
  "AWS::EC2::EbsEncryptionByDefault": EbsDefaultEncryptionState;
  /** The account-wide S3 Block Public Access configuration (S3 Control), as AWS Config names it. */
  "AWS::S3::AccountPublicAccessBlock": AccountPublicAccessBlockState;
  /** The Region's customer managed AWS Config recorder. */
  "AWS::Config::ConfigurationRecorder": ConfigRecorderState;
  /** The Region's AWS Config delivery channel. */
  "AWS::Config::DeliveryChannel": DeliveryChannelState;
  /** One ELBv2 listener: protocol, security policy, default action and (for HTTP) its other rules. */
  "AWS::ElasticLoadBalancingV2::Listener": ListenerState;
  /** One CloudFront distribution (global): its cache behaviors' viewer protocol policies. */
  "AWS::CloudFront::Distribution": DistributionState;
  /** One S3 general purpose bucket: default encryption, bucket-level Block Public Access, policy. */
  "AWS::S3::Bucket": S3BucketState;
  /** One RDS DB instance: its storage encryption (a cluster member's is the cluster's). */
  "AWS::RDS::DBInstance": RdsDbInstanceState;
  /** One RDS DB cluster (Aurora, Multi-AZ, DocumentDB, Neptune): its storage encryption. */
  "AWS::RDS::DBCluster": RdsDbClusterState;
  /** One SQS queue: SSE-KMS key and SSE-SQS flag. */
  "AWS::SQS::Queue": SqsQueueState;
  /** One SNS topic: its KMS key. */
  "AWS::SNS::Topic": SnsTopicState;
  /** One EFS file system: its encryption at rest. */
  "AWS::EFS::FileSystem": EfsFileSystemState;
  /** The account as root-user events show it: root activity, root access keys (Security Hub's `AWS::::Account`). */
  "AWS::::Account": AccountState;
  /** One IAM user: console password and MFA (IAM.5), its credential-report row (IAM.3/8/22). */
  "AWS::IAM::User": IamUserState;
  /** The account password policy (no CloudFormation or Config type; one per account). */
  "AWS::IAM::AccountPasswordPolicy": PasswordPolicyState;
  /** One customer managed policy: its default version's document and usage counts (IAM.1, IAM.21, KMS.1). */
  "AWS::IAM::Policy": IamPolicyState;
  /** One IAM role: its trust policy (who may assume it) and its inline and attached policies. */
  "AWS::IAM::Role": IamRoleState;
  /** One IAM group: its inline and attached policies (no tags: groups can't carry any). */
  "AWS::IAM::Group": IamGroupState;
  /** One EKS workload (Pod or pod-template owner) as the cluster's audit log showed it applied. */
  "AWS::EKS::Workload": EksWorkloadState;
  /** One EKS namespace: the NetworkPolicies the audit log showed in it. */
  "AWS::EKS::Namespace": EksNamespaceState;
  /** One EKS cluster: endpoint access, Kubernetes version, secrets encryption, audit logging, VPC CNI network policy. */
  "AWS::EKS::Cluster": EksClusterState;
  /** One GuardDuty threat finding (no CloudFormation type): type, severity, affected resource, actor, count. */
  "AWS::GuardDuty::Finding": GuardDutyFindingState;
  /** One account in one Region (sweep only): its trails, GuardDuty detectors and Config recorders. */
  "AWS::::AccountRegion": AccountRegionState;
}

export type ResourceType = keyof ResourceStates;
