import { readPolicyStatements } from "../resource-policy";
import type { BucketPolicy } from "./state";

export { policyDocument } from "../resource-policy";

/**
 * A bucket policy from CloudTrail's parsed `bucketPolicy`, `GetBucketPolicy`'s text or Config's
 * `policyText`. Undefined when it can't be read (CloudTrail may hide or cut it): the caller then
 * reads the live policy instead.
 */
export function parseBucketPolicy(value: unknown): BucketPolicy | undefined {
  const statements = readPolicyStatements(value);
  return statements && { statements };
}
