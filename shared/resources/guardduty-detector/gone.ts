import { errorName } from "../../aws/errors";

/**
 * GuardDuty has no NotFound error: a detector that no longer exists is a `BadRequestException`
 * saying the detectorId "is not owned by the current account" (or, for some calls, "not found").
 * Only those messages mean gone; any other bad request (invalid value, a detector that already
 * exists, both features and dataSources...) is a real failure and must not pass for "gone".
 */
const GONE_MESSAGE = /\bnot owned by the current account\b|\bnot found\b/i;

export function isDetectorGone(error: unknown): boolean {
  if (errorName(error) !== "BadRequestException") return false;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && GONE_MESSAGE.test(message);
}
