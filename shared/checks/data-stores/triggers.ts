import type { CheckTriggers } from "../define";
import { INSTANCE_CREATING_CALLS } from "../../resources/rds-db-instance/from-cloudtrail";
import { CLUSTER_CREATING_CALLS } from "../../resources/rds-db-cluster/from-cloudtrail";

/** Encryption at rest is chosen when these stores are created; their deletion resolves what stays open. */
export const rdsInstanceTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "rds.amazonaws.com", eventNames: [...INSTANCE_CREATING_CALLS, "DeleteDBInstance"] },
  ],
  config: ["AWS::RDS::DBInstance"],
};
export const rdsClusterTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "rds.amazonaws.com", eventNames: [...CLUSTER_CREATING_CALLS, "DeleteDBCluster"] },
  ],
  config: ["AWS::RDS::DBCluster"],
};
/** SQS and SNS encryption can also be changed later, by setting attributes. */
export const sqsQueueTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "sqs.amazonaws.com", eventNames: ["CreateQueue", "SetQueueAttributes", "DeleteQueue"] },
  ],
  config: ["AWS::SQS::Queue"],
};
export const snsTopicTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "sns.amazonaws.com", eventNames: ["CreateTopic", "SetTopicAttributes", "DeleteTopic"] },
  ],
  config: ["AWS::SNS::Topic"],
};
export const efsFileSystemTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "elasticfilesystem.amazonaws.com", eventNames: ["CreateFileSystem", "DeleteFileSystem"] },
  ],
  config: ["AWS::EFS::FileSystem"],
};
