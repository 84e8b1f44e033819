import type { Collector } from "../collector";
import securityGroups from "./security-groups";
import networkAcls from "./network-acls";
import vpcFlowLogs from "./vpc-flow-logs";
import ec2Instances from "./ec2-instances";
import subnets from "./subnets";
import ebsVolumes from "./ebs-volumes";
import ebsDefaultEncryption from "./ebs-default-encryption";
import iamUsers from "./iam-users";
import account from "./account";
import passwordPolicy from "./password-policy";
import iamPolicies from "./iam-policies";
import iamRoles from "./iam-roles";
import iamGroups from "./iam-groups";
import ecrRepositories from "./ecr-repositories";
import ecrRegistry from "./ecr-registry";
import ecrImageScans from "./ecr-image-scans";
import ecsTaskDefinitions from "./ecs-task-definitions";
import eksClusters from "./eks-clusters";
import secrets from "./secrets";
import lambdaFunctions from "./lambda-functions";
import s3Buckets from "./s3-buckets";
import accountPublicAccessBlock from "./account-public-access-block";
import kmsKeys from "./kms-keys";
import { configRecordersCollector, deliveryChannelsCollector } from "./config-recorders";
import elbv2Listeners from "./elbv2-listeners";
import cloudFrontDistributions from "./cloudfront-distributions";
import rdsInstances from "./rds-instances";
import rdsClusters from "./rds-clusters";
import sqsQueues from "./sqs-queues";
import snsTopics from "./sns-topics";
import efsFileSystems from "./efs-file-systems";
import cloudTrailTrails from "./cloudtrail-trails";
import guardDutyDetectors from "./guardduty-detectors";
import accountRegion from "./account-region";

/**
 * Every collector, one per resource type the sweep lists. Adding a collector is adding its file
 * and one line here.
 */
export const collectors: readonly Collector[] = [
  securityGroups,
  networkAcls,
  vpcFlowLogs,
  ec2Instances,
  subnets,
  ebsVolumes,
  ebsDefaultEncryption,
  iamUsers,
  account,
  passwordPolicy,
  iamPolicies,
  iamRoles,
  iamGroups,
  ecrRepositories,
  ecrRegistry,
  ecrImageScans,
  ecsTaskDefinitions,
  eksClusters,
  secrets,
  lambdaFunctions,
  s3Buckets,
  accountPublicAccessBlock,
  kmsKeys,
  configRecordersCollector,
  deliveryChannelsCollector,
  elbv2Listeners,
  cloudFrontDistributions,
  rdsInstances,
  rdsClusters,
  sqsQueues,
  snsTopics,
  efsFileSystems,
  cloudTrailTrails,
  guardDutyDetectors,
  accountRegion,
];

export function collectorFor(resourceType: string): Collector | undefined {
  return collectors.find((collector) => collector.resourceType === resourceType);
}
