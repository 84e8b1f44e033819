import type { ServiceDouble } from "./double";
import { createKmsDouble } from "./kms";
import { createConfigServiceDouble } from "./config-service";
import { createS3Double } from "./s3";
import { createIamDouble } from "./iam";

/**
 * Every service double the local endpoint serves (besides DynamoDB, EC2 and SNS), created fresh
 * per server. Adding one = one module exporting a factory + one line here.
 */
export const serviceDoubles: ReadonlyArray<() => ServiceDouble> = [
  createKmsDouble,
  createConfigServiceDouble,
  createS3Double,
  createIamDouble,
];
