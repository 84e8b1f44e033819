import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const DETECTOR_ID = "6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2";
export const DETECTOR_ARN = `arn:aws:guardduty:us-east-1:111122223333:detector/${DETECTOR_ID}`;
export const NEW_DETECTOR_ID = "0e4f2a6c8b1d3e5f7a9c0b2d4e6f8a1c";

export const detectorEvent = (name: string) => loadEvent(`guardduty/${name}.json`);

export const idFor = (checkId: string, resourceId = DETECTOR_ID) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, ...extra });
}
