import type { CloudTrailClient, Trail } from "@aws-sdk/client-cloudtrail";
import { errorName } from "../../aws/errors";
import { loadCloudTrail, loadConfigService, loadGuardDuty } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { isDetectorGone } from "../../resources/guardduty-detector/gone";
import { managementEventsOf } from "../../resources/account-region/management-events";
import { ACCOUNT_REGION_TYPE, accountRegionRef } from "../../resources/account-region/ref";
import type {
  DetectorsPart,
  RecordersPart,
  TrailsPart,
  TrailSummary,
} from "../../resources/account-region/state";
import { defineCollector, type CollectContext } from "../collector";

const DENIED = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"]);
const denied = (error: unknown) => DENIED.has(errorName(error));

/** The part, or "unknown" when Vigil may not read it (its check is then undecided, not failed). */
async function orUnknown<T>(read: () => Promise<T>): Promise<T | "unknown"> {
  try {
    return await read();
  } catch (error) {
    if (denied(error)) return "unknown";
    throw error;
  }
}

/** A per-trail read, "unknown" when denied (an organization trail's owner may refuse), undefined when the trail is gone. */
async function perTrail<T>(read: () => Promise<T>): Promise<T | "unknown" | undefined> {
  try {
    return await read();
  } catch (error) {
    if (errorName(error) === "TrailNotFoundException") return undefined;
    if (denied(error)) return "unknown";
    throw error;
  }
}

async function trailSummary(
  cloudTrail: CloudTrailClient,
  trail: Trail & { TrailARN: string; Name: string },
): Promise<TrailSummary | undefined> {
  const { GetTrailStatusCommand, GetEventSelectorsCommand } = await loadCloudTrail();
  const logging = await perTrail(async () => {
    const status = await cloudTrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN }));
    if (typeof status.IsLogging !== "boolean")
      throw new Error(`GetTrailStatus ${trail.TrailARN} answered without IsLogging`);
    return status.IsLogging;
  });
  if (logging === undefined) return undefined;
  const selectors = await perTrail(() =>
    cloudTrail.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN })),
  );
  if (selectors === undefined) return undefined;
  return {
    name: trail.Name,
    arn: trail.TrailARN,
    homeRegion: trail.HomeRegion ?? "",
    multiRegion: trail.IsMultiRegionTrail === true,
    organizationTrail: trail.IsOrganizationTrail === true,
    logging,
    managementEvents:
      selectors === "unknown"
        ? "unknown"
        : managementEventsOf(selectors.EventSelectors, selectors.AdvancedEventSelectors),
  };
}

/** Every trail the Region shows, shadows of multi-Region trails homed elsewhere included. */
async function readTrails(ctx: CollectContext): Promise<TrailsPart> {
  const [cloudTrail, { DescribeTrailsCommand }] = await Promise.all([
    ctx.clients.cloudTrail(),
    loadCloudTrail(),
  ]);
  // DescribeTrails has no pagination: it answers every trail at once.
  const out = await cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const trails: TrailSummary[] = [];
  for (const trail of out.trailList ?? []) {
    const { TrailARN, Name } = trail;
    if (!TrailARN || !Name) continue;
    const summary = await trailSummary(cloudTrail, { ...trail, TrailARN, Name });
    if (summary) trails.push(summary);
  }
  return { trails };
}

async function readDetectors(ctx: CollectContext): Promise<DetectorsPart> {
  const [guardDuty, { paginateListDetectors, GetDetectorCommand }] = await Promise.all([
    ctx.clients.guardDuty(),
    loadGuardDuty(),
  ]);
  const detectors: DetectorsPart["detectors"] = [];
  for await (const page of paginateListDetectors({ client: guardDuty }, { MaxResults: 50 })) {
    for (const detectorId of page.DetectorIds ?? []) {
      try {
        const detector = await guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId }));
        if (typeof detector.Status !== "string")
          throw new Error(`GetDetector ${detectorId} answered without Status`);
        detectors.push({ detectorId, status: detector.Status });
      } catch (error) {
        // Deleted since the listing: no longer there to count.
        if (isDetectorGone(error)) continue;
        throw error;
      }
    }
  }
  return { detectors };
}

async function readRecorders(ctx: CollectContext): Promise<RecordersPart> {
  const [config, { DescribeConfigurationRecordersCommand, DescribeConfigurationRecorderStatusCommand }] =
    await Promise.all([ctx.clients.configService(), loadConfigService()]);
  // Neither call pages; both unfiltered, so a recorder deleted between them is simply missing.
  const [recorders, statuses] = await Promise.all([
    config.send(new DescribeConfigurationRecordersCommand({})),
    config.send(new DescribeConfigurationRecorderStatusCommand({})),
  ]);
  const recording = new Map(
    (statuses.ConfigurationRecordersStatus ?? []).flatMap((s) =>
      s.name ? [[s.name, s.recording] as const] : [],
    ),
  );
  return {
    recorders: (recorders.ConfigurationRecorders ?? []).flatMap((r) => {
      if (!r.name) return [];
      const isRecording = recording.get(r.name);
      return [
        {
          name: r.name,
          ...(typeof isRecording === "boolean" ? { recording: isRecording } : {}),
          ...(r.roleARN ? { roleArn: r.roleARN } : {}),
          ...(r.servicePrincipal ? { servicePrincipal: r.servicePrincipal } : {}),
          ...(typeof r.recordingGroup?.allSupported === "boolean"
            ? { allSupported: r.recordingGroup.allSupported }
            : {}),
        },
      ];
    }),
  };
}

/** The collector's reads, by part (each part's check is undecided when they are denied). */
export const ACCOUNT_REGION_READS = {
  cloudTrail: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
  guardDuty: ["guardduty:ListDetectors", "guardduty:GetDetector"],
  config: ["config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"],
} as const;

/**
 * One observation per account and Region: its trails (with logging and management-event selectors),
 * GuardDuty detectors and Config recorders, for the Region-wide controls (CloudTrail.1, GuardDuty.1,
 * Config.1). Whole by construction (`complete: true`): a passing check resolves its finding. A part
 * Vigil may not read is "unknown" and its check undecided; any other error fails the unit.
 */
export default defineCollector({
  resourceType: ACCOUNT_REGION_TYPE,
  scope: "regional",
  iamActions: [
    ...ACCOUNT_REGION_READS.cloudTrail,
    ...ACCOUNT_REGION_READS.guardDuty,
    ...ACCOUNT_REGION_READS.config,
  ],
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::::AccountRegion">> {
    const [cloudTrail, guardDuty, config] = await Promise.all([
      orUnknown(() => readTrails(ctx)),
      orUnknown(() => readDetectors(ctx)),
      orUnknown(() => readRecorders(ctx)),
    ]);
    yield {
      resource: accountRegionRef(ctx.account, ctx.region, ctx.partition),
      state: { account: ctx.account, region: ctx.region, cloudTrail, guardDuty, config, tags: {} },
      complete: true,
      observedAt: ctx.now.toISOString(),
      tagsKnown: true,
    };
  },
});
