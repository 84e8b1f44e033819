import type { ResourceRef } from "../../core/resource";
import { UnusableEventError } from "../adapter";

export const DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution";

/**
 * CloudFront is a global service: its CloudTrail events arrive in us-east-1 and Config records its
 * distributions as `global`. Findings use `global` whatever the source, so both meet on one finding.
 */
export const DISTRIBUTION_REGION = "global";

const DISTRIBUTION_ID = /^[A-Z0-9]{1,32}$/;
const DISTRIBUTION_ARN = /^arn:(aws[a-z-]*):cloudfront::(\d{12}):distribution\/([A-Z0-9]{1,32})$/;

/** The partition of the Region a call was made in (CloudFront in China answers from cn-northwest-1). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function distributionRef(id: string, account: string, partition: string): ResourceRef {
  if (!DISTRIBUTION_ID.test(id)) throw new UnusableEventError(`"${id}" is not a CloudFront distribution id`);
  return {
    type: DISTRIBUTION_TYPE,
    id,
    arn: `arn:${partition}:cloudfront::${account}:distribution/${id}`,
    account,
    region: DISTRIBUTION_REGION,
  };
}

/** The id, account and partition a distribution ARN names (Config items may use the ARN as resource id). */
export function parseDistributionArn(
  arn: string,
): { id: string; account: string; partition: string } | undefined {
  const match = DISTRIBUTION_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = "", account = "", id = ""] = match;
  return { id, account, partition };
}
