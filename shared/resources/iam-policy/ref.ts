import type { ResourceRef } from "../../core/resource";
import { IAM_REGION } from "../account/ref";

export const IAM_POLICY_TYPE = "AWS::IAM::Policy";

/** `arn:<partition>:iam::<account or "aws">:policy/<path/>name` (the path may be several segments). */
const POLICY_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}|aws):policy\/(?:.*\/)?([\w+=,.@-]+)$/;

export interface PolicyArn {
  arn: string;
  partition: string;
  /** The owning account, or `aws` for an AWS managed policy. */
  account: string;
  name: string;
  /** AWS managed policies (`arn:aws:iam::aws:policy/…`) are AWS's: the controls judge customer managed ones only. */
  awsManaged: boolean;
}

/** Reads a managed-policy ARN; undefined when the text is no such ARN. */
export function parsePolicyArn(arn: string): PolicyArn | undefined {
  const match = POLICY_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = "aws", account = "", name = ""] = match;
  return { arn, partition, account, name, awsManaged: account === "aws" };
}

/** The ARN IAM gives a new policy: its path (default `/`) between `policy` and the name. */
export function policyArnFor(
  partition: string,
  account: string,
  path: string | undefined,
  name: string,
): string {
  const normalised = path && path !== "" ? path : "/";
  return `arn:${partition}:iam::${account}:policy${normalised}${name}`;
}

/**
 * A customer managed policy, keyed by its ARN: CloudTrail names policies by ARN, and Config's items
 * carry it too (Config's own resource id is the `ANPA…` policy id, which most calls don't show).
 * IAM is global: findings live in the `global` pseudo-Region, like the other IAM resources.
 */
export function iamPolicyRef(policy: PolicyArn): ResourceRef {
  return {
    type: IAM_POLICY_TYPE,
    id: policy.arn,
    arn: policy.arn,
    account: policy.account,
    region: IAM_REGION,
    name: policy.name,
  };
}
