import { findingId } from "../../shared/findings/id";
import type { TestRuntime } from "../support/runtime";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";

export const rdsEvent = (name: string) => loadEvent(`rds/${name}.json`);
export const sqsEvent = (name: string) => loadEvent(`sqs/${name}.json`);
export const snsEvent = (name: string) => loadEvent(`sns/${name}.json`);
export const efsEvent = (name: string) => loadEvent(`efs/${name}.json`);

export const INSTANCE = {
  id: "db-7QX2M4KJ5N3PLR6WZTB8YV1AHE",
  arn: "arn:aws:rds:us-east-1:111122223333:db:orders-reporting",
  name: "orders-reporting",
};
export const CLUSTER = {
  id: "cluster-5NQ7XK2WZ9RM4TB6PV3HJ8LCDY",
  arn: "arn:aws:rds:us-east-1:111122223333:cluster:payments-aurora",
  name: "payments-aurora",
};
export const QUEUE = {
  url: "https://sqs.us-east-1.amazonaws.com/111122223333/orders-events",
  arn: "arn:aws:sqs:us-east-1:111122223333:orders-events",
};
export const TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:order-alerts";
export const FILE_SYSTEM = {
  id: "fs-0b7e4c2a9d1f36580",
  arn: "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0b7e4c2a9d1f36580",
};

export const idFor = (checkId: string, resourceId: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** Every finding in the store as [checkId, status], sorted. */
export const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.status] as const).sort();

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}
