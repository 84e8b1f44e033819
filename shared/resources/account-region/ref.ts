import type { ResourceRef } from "../../core/resource";

export const ACCOUNT_REGION_TYPE = "AWS::::AccountRegion";

/**
 * One account in one Region. There is no real ARN: this one follows the `AWS::::Account` ref (an
 * `arn:<partition>:` string naming the account), with the Region added and no service, so it can't
 * be mistaken for a resource's.
 */
export function accountRegionRef(account: string, region: string, partition: string): ResourceRef {
  return {
    type: ACCOUNT_REGION_TYPE,
    id: `${account}:${region}`,
    arn: `arn:${partition}::${region}:${account}:account-region`,
    account,
    region,
    name: `AWS account ${account} in ${region}`,
  };
}
