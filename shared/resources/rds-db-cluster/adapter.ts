import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { readRdsTags } from "../rds-db-instance/tags";
import { CLUSTER_CREATING_CALLS, fromClusterCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { RDS_DB_CLUSTER_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: RDS_DB_CLUSTER_TYPE,
  fromCloudTrail(detail, account) {
    if (CLUSTER_CREATING_CALLS.includes(detail.eventName) || detail.eventName === "DeleteDBCluster")
      return fromClusterCall(detail, account);
    throw new UnusableEventError(`no RDS DB cluster reader for ${detail.eventName}`);
  },
  fromConfigItem,
  async readTags(observation, clients) {
    return readRdsTags(await clients.rds(), observation.resource.arn);
  },
});
