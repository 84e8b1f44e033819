import type { ResourceType } from "./probes";

/**
 * ARN templates of the resource types the decisions ask about (formats from the Service Authorization
 * Reference). Slots are filled by probes.ts.
 */

const type = (name: string, template: string): ResourceType => ({ name, template });

export const IAM_ROLE = type("IAM role", "arn:{partition}:iam::{account}:role/{name}");
export const IAM_USER = type("IAM user", "arn:{partition}:iam::{account}:user/{name}");
export const IAM_GROUP = type("IAM group", "arn:{partition}:iam::{account}:group/{name}");
export const IAM_POLICY = type("IAM managed policy", "arn:{partition}:iam::{account}:policy/{name}");
export const KMS_KEY = type("KMS key", "arn:{partition}:kms:{region}:{account}:key/{name}");
export const LAMBDA_FUNCTION = type(
  "Lambda function",
  "arn:{partition}:lambda:{region}:{account}:function:{name}",
);
export const LAMBDA_EVENT_SOURCE_MAPPING = type(
  "Lambda event source mapping",
  "arn:{partition}:lambda:{region}:{account}:event-source-mapping:{name}",
);
export const EC2_INSTANCE = type("EC2 instance", "arn:{partition}:ec2:{region}:{account}:instance/{name}");
export const GLUE_DEV_ENDPOINT = type(
  "Glue development endpoint",
  "arn:{partition}:glue:{region}:{account}:devEndpoint/{name}",
);
export const CLOUDFORMATION_STACK = type(
  "CloudFormation stack",
  "arn:{partition}:cloudformation:{region}:{account}:stack/{name}",
);
export const DATA_PIPELINE = type(
  "Data Pipeline pipeline",
  "arn:{partition}:datapipeline:{region}:{account}:pipeline/{name}",
);
export const DYNAMODB_TABLE = type(
  "DynamoDB table",
  "arn:{partition}:dynamodb:{region}:{account}:table/{name}",
);
