import type { CheckDefinition, CloudTrailTrigger } from "../shared/checks/define";

/**
 * Global services record their CloudTrail events in us-east-1 only, so EventBridge delivers them
 * only to that region's default bus (re:Post "EventBridge rule for IAM events only triggers in
 * us-east-1"; CloudTrail's global service events: CloudFront, IAM, console sign-in). A home stack
 * elsewhere gets them through a forwarding rule there (infra/regional-events.ts). Listed here: the
 * global sources a Vigil check may watch. Not STS: calls to its regional endpoints are recorded in
 * their own region.
 */
export const GLOBAL_EVENT_SOURCES: readonly string[] = [
  "cloudfront.amazonaws.com",
  "iam.amazonaws.com",
  "organizations.amazonaws.com",
  "route53.amazonaws.com",
  "signin.amazonaws.com",
];

/** Where the `aws` partition delivers global services' events. */
export const GLOBAL_EVENTS_REGION = "us-east-1";

/**
 * Construct id of the us-east-1 forwarding stack (one per app: the app has one home stack). It keeps
 * this id (and its stack name) when us-east-1 is also a forwarded Region, so listing it updates the
 * stack in place instead of deploying a second one that would forward global events twice.
 */
export const GLOBAL_EVENTS_STACK_ID = "VigilGlobalEvents";

export function isGlobalTrigger(trigger: CloudTrailTrigger): boolean {
  return GLOBAL_EVENT_SOURCES.includes(trigger.eventSource);
}

/** The checks' CloudTrail triggers on global services, which a home outside us-east-1 can't see. */
export function globalCloudTrailTriggers(checks: readonly CheckDefinition[]): CloudTrailTrigger[] {
  return checks.flatMap((check) => check.triggers.cloudTrail).filter(isGlobalTrigger);
}

/** The checks' CloudTrail triggers on regional services, recorded in the Region the call was made in. */
export function regionalCloudTrailTriggers(checks: readonly CheckDefinition[]): CloudTrailTrigger[] {
  return checks.flatMap((check) => check.triggers.cloudTrail).filter((trigger) => !isGlobalTrigger(trigger));
}

/** The triggers' event sources, sorted, for messages. */
export function eventSources(triggers: readonly CloudTrailTrigger[]): string {
  return [...new Set(triggers.map((trigger) => trigger.eventSource))].sort().join(", ");
}
