import type { ResourceRef } from "../../core/resource";
import { UnusableEventError } from "../adapter";

export const TRAIL_TYPE = "AWS::CloudTrail::Trail";

const TRAIL_ARN = /^arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):trail\/([A-Za-z0-9._-]{3,128})$/;
const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

export interface TrailTarget {
  ref: ResourceRef;
  /** Why Vigil must not act on the trail, when its ARN is outside the call's account and region. */
  outOfScope?: string;
}

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The trail a call names: CloudTrail accepts its name (resolved in the call's region and account)
 * or its ARN. The ARN is the finding's resource id either way, so both spellings meet on one finding.
 */
export function trailTarget(nameOrArn: string, account: string, region: string): TrailTarget {
  const arn = TRAIL_ARN.exec(nameOrArn);
  if (arn) {
    const [, , arnRegion = "", arnAccount = "", name = ""] = arn;
    const ref = {
      type: TRAIL_TYPE,
      id: nameOrArn,
      arn: nameOrArn,
      account: arnAccount,
      region: arnRegion,
      name,
    };
    const elsewhere = arnAccount !== account || arnRegion !== region;
    return elsewhere
      ? {
          ref,
          outOfScope: `trail ${nameOrArn} is outside the call's account ${account} and region ${region}`,
        }
      : { ref };
  }
  if (!TRAIL_NAME.test(nameOrArn))
    throw new UnusableEventError(`"${nameOrArn}" is neither a trail name nor a trail ARN`);
  const trailArn = `arn:${partitionOf(region)}:cloudtrail:${region}:${account}:trail/${nameOrArn}`;
  return { ref: { type: TRAIL_TYPE, id: trailArn, arn: trailArn, account, region, name: nameOrArn } };
}
