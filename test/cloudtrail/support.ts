import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const TRAIL_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit-trail";
export const DELETED_ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/dev-sandbox-trail";

export const trailEvent = (name: string) => loadEvent(`cloudtrail/${name}.json`);

export const idFor = (checkId: string, resourceId = TRAIL_ARN) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}
