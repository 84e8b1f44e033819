import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { dbInstanceRef } from "./ref";
import type { RdsDbInstanceState } from "./state";

type InstanceObservation = Observation<"AWS::RDS::DBInstance">;

/** Calls whose answer is the new instance's whole description (CloudTrail's camelCase `DBInstance`). */
export const INSTANCE_CREATING_CALLS = [
  "CreateDBInstance",
  "CreateDBInstanceReadReplica",
  "RestoreDBInstanceFromDBSnapshot",
  "RestoreDBInstanceToPointInTime",
  "RestoreDBInstanceFromS3",
];

const text = z.string().nullable().optional();

/** The `DBInstance` CloudTrail logs as `responseElements`; `kmsKeyId` is absent when storage isn't encrypted. */
const dbInstanceSchema = z.looseObject({
  dBInstanceIdentifier: z.string().min(1),
  dBInstanceArn: z.string().min(1),
  dbiResourceId: z.string().min(1),
  engine: text,
  dBClusterIdentifier: text,
  storageEncrypted: z.boolean().nullable().optional(),
  kmsKeyId: text,
});

/** Some records wrap the answer as `{ dBInstance: {...} }`; most carry it as it is. */
function describedInstance(detail: CloudTrailDetail): z.infer<typeof dbInstanceSchema> {
  const response = detail.responseElements;
  const body = response && typeof response.dBInstance === "object" ? response.dBInstance : response;
  const parsed = dbInstanceSchema.safeParse(body);
  if (!parsed.success)
    throw new UnusableEventError(`${detail.eventName} responseElements: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/**
 * A create, restore or read-replica call: the answer describes the new instance, encryption
 * included, which can't change afterwards. `DeleteDBInstance` answers with the instance too; it is
 * gone, which resolves its findings.
 */
export function fromInstanceCall(detail: CloudTrailDetail, account: string): InstanceObservation[] {
  const instance = describedInstance(detail);
  const identity = {
    dbInstanceIdentifier: instance.dBInstanceIdentifier,
    dbInstanceArn: instance.dBInstanceArn,
    dbiResourceId: instance.dbiResourceId,
  };
  const resource = dbInstanceRef(identity, { account, region: detail.awsRegion });
  const base = { resource, complete: true, observedAt: detail.eventTime, tagsKnown: false };
  if (detail.eventName === "DeleteDBInstance") return [{ ...base, state: undefined }];
  const state: RdsDbInstanceState = {
    ...identity,
    ...(instance.engine ? { engine: instance.engine } : {}),
    ...(instance.dBClusterIdentifier ? { dbClusterIdentifier: instance.dBClusterIdentifier } : {}),
    ...(typeof instance.storageEncrypted === "boolean"
      ? { storageEncrypted: instance.storageEncrypted }
      : {}),
    ...(instance.kmsKeyId ? { kmsKeyId: instance.kmsKeyId } : {}),
  };
  return [{ ...base, state }];
}
