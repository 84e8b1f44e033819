import { Annotations, Token, type App, type Stack } from "aws-cdk-lib";
import { RegionInfo } from "aws-cdk-lib/region-info";
import type { CheckDefinition } from "../shared/checks/define";
import { ConfigError } from "../shared/config/load";
import { sweepRegions, type SweepSettings } from "../shared/config/sweep";
import { ForwarderStack } from "./forwarder-stack";
import {
  GLOBAL_EVENTS_REGION,
  GLOBAL_EVENTS_STACK_ID,
  eventSources,
  globalCloudTrailTriggers,
  regionalCloudTrailTriggers,
} from "./global-events";

/** Construct id prefix of the forwarding stack of a Region (`VigilEvents-eu-central-1`). */
export const REGIONAL_EVENTS_STACK_PREFIX = "VigilEvents";

/** Construct id of the forwarding stack in `region` (us-east-1's is the global events' one). */
export function forwarderStackId(region: string): string {
  return region === GLOBAL_EVENTS_REGION
    ? GLOBAL_EVENTS_STACK_ID
    : `${REGIONAL_EVENTS_STACK_PREFIX}-${region}`;
}

/** The Regions Vigil in `home` covers: home first, then the forwarded ones, without repeats. */
export function coveredRegions(home: string, forwarded: readonly string[]): string[] {
  return [...new Set([home, ...forwarded])];
}

/**
 * Where the remediation role may write: every Region whose events reach Vigil (forwarded events are
 * remediated in their own Region) and every Region the sweep covers (it remediates what it finds).
 */
export function remediationRegions(
  config: { forwarding: { regions: readonly string[] }; sweep: SweepSettings },
  home: string,
): string[] {
  return [
    ...new Set([...coveredRegions(home, config.forwarding.regions), ...sweepRegions(config.sweep, home)]),
  ];
}

/**
 * Adds the forwarding stacks `home` needs and makes `home` depend on them (deploying Vigil's stack
 * deploys them first):
 * - in every Region of `regions` but home, a stack whose rules send the events the home rules match
 *   there (regional services' CloudTrail calls, Config items, service events) to home's default bus;
 * - outside us-east-1 (in the `aws` partition), the us-east-1 stack forwarding global services'
 *   CloudTrail events, whether or not us-east-1 is listed (when it is, one stack does both).
 * Returns the stacks, by Region.
 */
export function addEventForwarders(
  app: App,
  home: Stack,
  checks: readonly CheckDefinition[],
  regions: readonly string[],
): Map<string, ForwarderStack> {
  const stacks = new Map<string, ForwarderStack>();
  const globalTriggers = globalCloudTrailTriggers(checks);
  const region = home.region;
  if (Token.isUnresolved(region)) {
    // `cdk synth` without a region (no AWS configuration); `cdk deploy` always has one.
    if (globalTriggers.length) {
      Annotations.of(home).addWarningV2(
        "vigil:global-events-region-unknown",
        `The region is unknown (set AWS_REGION or a profile region), so events of global services (${eventSources(globalTriggers)}) ` +
          `are not forwarded from ${GLOBAL_EVENTS_REGION}: deploying outside ${GLOBAL_EVENTS_REGION} needs the region at synth.`,
      );
    }
    if (regions.length) {
      Annotations.of(home).addWarningV2(
        "vigil:forwarding-region-unknown",
        `The region is unknown (set AWS_REGION or a profile region), so no events are forwarded from ${regions.join(", ")} ` +
          "(forwarding.regions): forwarding needs the home region at synth.",
      );
    }
    return stacks;
  }

  const partition = RegionInfo.get(region).partition;
  const forwarded = coveredRegions(region, regions).filter((other) => other !== region);
  for (const other of forwarded) {
    const otherPartition = RegionInfo.get(other).partition;
    if (partition && otherPartition && otherPartition !== partition) {
      throw new ConfigError(
        `Invalid Vigil config: forwarding.regions lists ${other} (partition ${otherPartition}), but Vigil is in ${region} ` +
          `(partition ${partition}): EventBridge does not forward events across partitions; deploy Vigil in that partition too.`,
      );
    }
  }
  const globalInAws = globalTriggers.length > 0 && region !== GLOBAL_EVENTS_REGION;
  if (globalInAws && partition !== undefined && partition !== "aws") {
    Annotations.of(home).addWarningV2(
      "vigil:global-events-partition",
      `Events of global services (${eventSources(globalTriggers)}) are not forwarded in the ${partition} partition: deploy Vigil ` +
        "also in the region where that partition records them.",
    );
  }
  const forwardGlobal = globalInAws && (partition === undefined || partition === "aws");
  if (!forwardGlobal && !forwarded.length) return stacks;

  const account = home.account;
  if (Token.isUnresolved(account)) {
    const needs = [
      ...(forwardGlobal
        ? [
            `a stack in ${GLOBAL_EVENTS_REGION} that forwards events of global services (${eventSources(globalTriggers)})`,
          ]
        : []),
      ...(forwarded.length ? [`a stack in each of ${forwarded.join(", ")} (forwarding.regions)`] : []),
    ];
    throw new ConfigError(
      `Vigil in ${region} needs ${needs.join(" and ")} to forward events to ${region}, and that needs the account: ` +
        "run with AWS credentials (CDK_DEFAULT_ACCOUNT) or pass -c account=<12-digit account id>.",
    );
  }

  const regional = { checks, cloudTrailTriggers: regionalCloudTrailTriggers(checks) };
  const targets = forwardGlobal && !forwarded.includes(GLOBAL_EVENTS_REGION) ? [GLOBAL_EVENTS_REGION] : [];
  for (const source of [...targets, ...forwarded]) {
    const isGlobal = forwardGlobal && source === GLOBAL_EVENTS_REGION;
    const isRegional = forwarded.includes(source);
    const what = [
      ...(isGlobal ? [`CloudTrail events of global services (${eventSources(globalTriggers)})`] : []),
      ...(isRegional ? [`the events Vigil watches in ${source}`] : []),
    ].join(" and ");
    const stack = new ForwarderStack(app, forwarderStackId(source), {
      // One forwarder per home region can live side by side in a Region. us-east-1's keeps the name
      // it had before forwarding.regions existed, so listing us-east-1 updates it in place.
      stackName:
        source === GLOBAL_EVENTS_REGION
          ? `${GLOBAL_EVENTS_STACK_ID}-${region}`
          : `${REGIONAL_EVENTS_STACK_PREFIX}-${source}-to-${region}`,
      env: { account, region: source },
      description: `Vigil: forwards ${what} from ${source} to Vigil in ${region}`,
      homeRegion: region,
      ...(isGlobal ? { triggers: globalTriggers } : {}),
      ...(isRegional ? { regional } : {}),
    });
    home.addStackDependency(stack, `deploying Vigil deploys its forwarder of ${source}'s events first`);
    stacks.set(source, stack);
  }
  return stacks;
}
