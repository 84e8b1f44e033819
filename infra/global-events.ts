import { Annotations, Token, type App, type Stack } from "aws-cdk-lib";
import { RegionInfo } from "aws-cdk-lib/region-info";
import type { CheckDefinition, CloudTrailTrigger } from "../shared/checks/define";
import { ConfigError } from "../shared/config/load";
import { ForwarderStack } from "./forwarder-stack";

/**
 * Global services record their CloudTrail events in us-east-1 only, so EventBridge delivers them
 * only to that region's default bus (re:Post "EventBridge rule for IAM events only triggers in
 * us-east-1"; CloudTrail's global service events: CloudFront, IAM, console sign-in). A home stack
 * elsewhere gets them through a forwarding rule there. Listed here: the global sources a Vigil check
 * may watch. Not STS: calls to its regional endpoints are recorded in their own region.
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

/** Construct id of the forwarding stack (one per app: the app has one home stack). */
export const GLOBAL_EVENTS_STACK_ID = "VigilGlobalEvents";

/** The checks' CloudTrail triggers on global services, which a home outside us-east-1 can't see. */
export function globalCloudTrailTriggers(checks: readonly CheckDefinition[]): CloudTrailTrigger[] {
  return checks
    .flatMap((check) => check.triggers.cloudTrail)
    .filter((trigger) => GLOBAL_EVENT_SOURCES.includes(trigger.eventSource));
}

/**
 * Adds the us-east-1 stack that forwards the global services' CloudTrail events the checks watch to
 * `home`'s default bus, when `home` is elsewhere. `home` depends on it, so deploying Vigil's stack
 * deploys the forwarder first. Returns undefined when there is nothing to forward.
 */
export function addGlobalEventForwarder(
  app: App,
  home: Stack,
  checks: readonly CheckDefinition[],
): ForwarderStack | undefined {
  const triggers = globalCloudTrailTriggers(checks);
  if (!triggers.length) return undefined;
  const region = home.region;
  if (Token.isUnresolved(region)) {
    // `cdk synth` without a region (no AWS configuration); `cdk deploy` always has one.
    Annotations.of(home).addWarningV2(
      "vigil:global-events-region-unknown",
      `The region is unknown (set AWS_REGION or a profile region), so events of global services (${sources(triggers)}) ` +
        `are not forwarded from ${GLOBAL_EVENTS_REGION}: deploying outside ${GLOBAL_EVENTS_REGION} needs the region at synth.`,
    );
    return undefined;
  }
  if (region === GLOBAL_EVENTS_REGION) return undefined;
  const partition = RegionInfo.get(region).partition;
  if (partition !== undefined && partition !== "aws") {
    Annotations.of(home).addWarningV2(
      "vigil:global-events-partition",
      `Events of global services (${sources(triggers)}) are not forwarded in the ${partition} partition: deploy Vigil ` +
        "also in the region where that partition records them.",
    );
    return undefined;
  }
  const account = home.account;
  if (Token.isUnresolved(account)) {
    throw new ConfigError(
      `Vigil in ${region} needs a stack in ${GLOBAL_EVENTS_REGION} that forwards events of global services ` +
        `(${sources(triggers)}) to ${region}, and that needs the account: run with AWS credentials ` +
        "(CDK_DEFAULT_ACCOUNT) or pass -c account=<12-digit account id>.",
    );
  }
  const forwarder = new ForwarderStack(app, GLOBAL_EVENTS_STACK_ID, {
    // One forwarder per home region can live side by side in us-east-1.
    stackName: `${GLOBAL_EVENTS_STACK_ID}-${region}`,
    env: { account, region: GLOBAL_EVENTS_REGION },
    description: `Vigil: forwards CloudTrail events of global services (${sources(triggers)}) from ${GLOBAL_EVENTS_REGION} to Vigil in ${region}`,
    homeRegion: region,
    triggers,
  });
  home.addStackDependency(
    forwarder,
    "deploying Vigil deploys its us-east-1 forwarder of global services' events",
  );
  return forwarder;
}

function sources(triggers: readonly CloudTrailTrigger[]): string {
  return [...new Set(triggers.map((trigger) => trigger.eventSource))].sort().join(", ");
}
