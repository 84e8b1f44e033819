import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { dbClusterRef } from "./ref";
import type { RdsDbClusterState } from "./state";

type ClusterObservation = Observation<"AWS::RDS::DBCluster">;

/** Calls whose answer is the new cluster's whole description (CloudTrail's camelCase `DBCluster`). */
export const CLUSTER_CREATING_CALLS = [
  "CreateDBCluster",
  "RestoreDBClusterFromSnapshot",
  "RestoreDBClusterToPointInTime",
  "RestoreDBClusterFromS3",
];

const text = z.string().nullable().optional();

/** The `DBCluster` CloudTrail logs as `responseElements`; `kmsKeyId` is absent when storage isn't encrypted. */
const dbClusterSchema = z.looseObject({
  dBClusterIdentifier: z.string().min(1),
  dBClusterArn: z.string().min(1),
  dbClusterResourceId: z.string().min(1),
  engine: text,
  storageEncrypted: z.boolean().nullable().optional(),
  kmsKeyId: text,
});

/** Some records wrap the answer as `{ dBCluster: {...} }`; most carry it as it is. */
function describedCluster(detail: CloudTrailDetail): z.infer<typeof dbClusterSchema> {
  const response = detail.responseElements;
  const body = response && typeof response.dBCluster === "object" ? response.dBCluster : response;
  const parsed = dbClusterSchema.safeParse(body);
  if (!parsed.success)
    throw new UnusableEventError(`${detail.eventName} responseElements: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * A create or restore call: the answer describes the new cluster, encryption included, which can't
 * change afterwards. `DeleteDBCluster` answers with the cluster too; it is gone, which resolves its findings.
 */
export function fromClusterCall(detail: CloudTrailDetail, account: string): ClusterObservation[] {
  const cluster = describedCluster(detail);
  const identity = {
    dbClusterIdentifier: cluster.dBClusterIdentifier,
    dbClusterArn: cluster.dBClusterArn,
    dbClusterResourceId: cluster.dbClusterResourceId,
  };
  const resource = dbClusterRef(identity, { account, region: detail.awsRegion });
  const base = { resource, complete: true, observedAt: detail.eventTime, tagsKnown: false };
  if (detail.eventName === "DeleteDBCluster") return [{ ...base, state: undefined }];
  const state: RdsDbClusterState = {
    ...identity,
    ...(cluster.engine ? { engine: cluster.engine } : {}),
    ...(typeof cluster.storageEncrypted === "boolean" ? { storageEncrypted: cluster.storageEncrypted } : {}),
    ...(cluster.kmsKeyId ? { kmsKeyId: cluster.kmsKeyId } : {}),
  };
  return [{ ...base, state }];
}
