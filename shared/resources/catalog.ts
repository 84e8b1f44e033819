import type { ResourceAdapter } from "./adapter";
import ecrImage from "./ecr-image/adapter";
import ecrImageScan from "./ecr-image-scan/adapter";
import ecrRegistry from "./ecr-registry/adapter";
import ecrRepository from "./ecr-repository/adapter";
import ecsTaskDefinition from "./ecs-task-definition/adapter";
import lambdaFunction from "./lambda-function/adapter";
import secret from "./secret/adapter";
import securityGroup from "./security-group/adapter";
import vpcFlowLogs from "./vpc-flow-logs/adapter";
import cloudTrailTrail from "./cloudtrail-trail/adapter";
import guardDutyDetector from "./guardduty-detector/adapter";
import ebsVolume from "./ebs-volume/adapter";
import kmsKey from "./kms-key/adapter";
import networkAcl from "./network-acl/adapter";
import ec2Instance from "./ec2-instance/adapter";
import subnet from "./subnet/adapter";
import ebsDefaultEncryption from "./ebs-default-encryption/adapter";
import accountPublicAccessBlock from "./account-public-access-block/adapter";
import configRecorder from "./config-recorder/adapter";
import configDeliveryChannel from "./config-recorder/delivery-channel-adapter";
import elbv2Listener from "./elbv2-listener/adapter";
import cloudFrontDistribution from "./cloudfront-distribution/adapter";
import s3Bucket from "./s3-bucket/adapter";
import rdsDbInstance from "./rds-db-instance/adapter";
import rdsDbCluster from "./rds-db-cluster/adapter";
import sqsQueue from "./sqs-queue/adapter";
import snsTopic from "./sns-topic/adapter";
import efsFileSystem from "./efs-file-system/adapter";
import account from "./account/adapter";
import iamUser from "./iam-user/adapter";
import passwordPolicy from "./password-policy/adapter";
import iamPolicy from "./iam-policy/adapter";
import iamRole from "./iam-role/adapter";
import iamGroup from "./iam-group/adapter";
import eksWorkload from "./eks-workload/adapter";
import eksNamespace from "./eks-namespace/adapter";
import eksCluster from "./eks-cluster/adapter";
import guardDutyFinding from "./guardduty-finding/adapter";
import accountRegion from "./account-region/adapter";
import type { ResourceType } from "./states";

/** How each resource type is read from events. Adding a resource type = one adapter folder + one line here. */
export const resourceAdapters: readonly ResourceAdapter[] = [
  securityGroup,
  vpcFlowLogs,
  ecrRepository,
  ecrRegistry,
  ecrImage,
  ecrImageScan,
  ecsTaskDefinition,
  lambdaFunction,
  secret,
  cloudTrailTrail,
  guardDutyDetector,
  ebsVolume,
  kmsKey,
  networkAcl,
  ec2Instance,
  subnet,
  ebsDefaultEncryption,
  accountPublicAccessBlock,
  configRecorder,
  configDeliveryChannel,
  elbv2Listener,
  cloudFrontDistribution,
  s3Bucket,
  rdsDbInstance,
  rdsDbCluster,
  sqsQueue,
  snsTopic,
  efsFileSystem,
  account,
  iamUser,
  passwordPolicy,
  iamPolicy,
  iamRole,
  iamGroup,
  eksWorkload,
  eksNamespace,
  eksCluster,
  guardDutyFinding,
  accountRegion,
];

export function adapterFor(resourceType: string): ResourceAdapter | undefined {
  return resourceAdapters.find((adapter) => adapter.resourceType === (resourceType as ResourceType));
}
