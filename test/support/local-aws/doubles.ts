import type { ServiceDouble } from "./double";
import { createKmsDouble } from "./kms";
import { createConfigServiceDouble } from "./config-service";
import { createS3Double } from "./s3";
import { createIamDouble } from "./iam";
import { createIamPoliciesDouble } from "./iam-policies";
import { createIamGrantsDouble } from "./iam-grants";
import { createEksDouble } from "./eks";
import { createCloudTrailDouble } from "./cloudtrail";
import { createGuardDutyDouble } from "./guardduty";
import { createSqsDouble } from "./sqs";
import { createLambdaDouble } from "./lambda";
import { createStsDouble } from "./sts";
import { createSecretsManagerDouble } from "./secrets-manager";

/**
 * Every service double the local endpoint serves (besides DynamoDB, EC2 and SNS), created fresh
 * per server. Adding one = one module exporting a factory + one line here.
 */
export const serviceDoubles: ReadonlyArray<() => ServiceDouble> = [
  createKmsDouble,
  createConfigServiceDouble,
  createS3Double,
  // Before createIamDouble (it accepts every IAM request): see iam-grants.ts.
  createIamGrantsDouble,
  // Also before createIamDouble (same reason); accepts only managed-policy actions: see iam-policies.ts.
  createIamPoliciesDouble,
  createIamDouble,
  createEksDouble,
  createCloudTrailDouble,
  createGuardDutyDouble,
  createSqsDouble,
  createLambdaDouble,
  createStsDouble,
  createSecretsManagerDouble,
];
