import type { ResourceRef } from "../../core/resource";
import { UnusableEventError } from "../adapter";

export const KEY_TYPE = "AWS::KMS::Key";

/** A key id: a UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;
const KEY_ARN =
  /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i;

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface KeyTarget {
  ref: ResourceRef;
  keyId: string;
  /** Why Vigil must not act on the key, when its ARN is outside the call's account and region. */
  outOfScope?: string;
}

/**
 * The key a call names: its id (resolved in the call's account and Region) or its ARN; aliases are
 * not accepted by the calls Vigil watches. The key id is the finding's resource id either way, so
 * both spellings meet on one finding.
 */
export function keyTarget(idOrArn: string, account: string, region: string): KeyTarget {
  const arn = KEY_ARN.exec(idOrArn);
  if (arn) {
    const [, , arnRegion = "", arnAccount = "", keyId = ""] = arn;
    const ref = { type: KEY_TYPE, id: keyId, arn: idOrArn, account: arnAccount, region: arnRegion };
    return arnAccount !== account || arnRegion !== region
      ? {
          ref,
          keyId,
          outOfScope: `key ${idOrArn} is outside the call's account ${account} and Region ${region}`,
        }
      : { ref, keyId };
  }
  if (!KEY_ID.test(idOrArn))
    throw new UnusableEventError(`"${idOrArn}" is neither a KMS key id nor a key ARN`);
  const keyArn = `arn:${partitionOf(region)}:kms:${region}:${account}:key/${idOrArn}`;
  return { ref: { type: KEY_TYPE, id: idOrArn, arn: keyArn, account, region }, keyId: idOrArn };
}
