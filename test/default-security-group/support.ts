import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configChangeDetailSchema, type ConfigItem } from "../../shared/events/config-item";
import { findingId } from "../../shared/findings/id";
import { sg } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
/** The fresh VPC default group of the Config samples, and its VPC. */
export const CONFIG_GROUP = "sg-0c3d4e5f6a7b80912";
export const CONFIG_VPC = "vpc-0e5f7a9b1c3d52468";
/** The default group the egress sample names by id. */
export const EGRESS_GROUP = "sg-0a1b2c3d4e5f60718";
/** The default VPC's default group, which the by-name sample addresses as `default`. */
export const BY_NAME_GROUP = "sg-0b2c3d4e5f6a70819";

export const idFor = (resourceId: string, checkId = "EC2.2") =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

export const detailOf = (name: string) => cloudTrailDetailSchema.parse(sg(name).detail);

export function configItemOf(name: string): ConfigItem {
  const detail = configChangeDetailSchema.parse(sg(name).detail);
  if (detail.messageType !== "ConfigurationItemChangeNotification") throw new Error("not an item");
  return detail.configurationItem;
}

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}
