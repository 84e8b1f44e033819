import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromInstanceCall, INSTANCE_CREATING_CALLS } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { RDS_DB_INSTANCE_TYPE } from "./ref";
import { readRdsTags } from "./tags";

/** The reads this adapter makes (tags only: every event it reads describes the whole instance). */
export const rdsReadActions = ["rds:ListTagsForResource"];

export default defineResourceAdapter({
  resourceType: RDS_DB_INSTANCE_TYPE,
  fromCloudTrail(detail, account) {
    if (INSTANCE_CREATING_CALLS.includes(detail.eventName) || detail.eventName === "DeleteDBInstance")
      return fromInstanceCall(detail, account);
    throw new UnusableEventError(`no RDS DB instance reader for ${detail.eventName}`);
  },
  fromConfigItem,
  async readTags(observation, clients) {
    return readRdsTags(await clients.rds(), observation.resource.arn);
  },
});
