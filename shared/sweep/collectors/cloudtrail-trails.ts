import type { CloudTrailClient, Trail } from "@aws-sdk/client-cloudtrail";
import { errorName } from "../../aws/errors";
import { loadCloudTrail } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { TRAIL_TYPE, trailTarget } from "../../resources/cloudtrail-trail/ref";
import type { TrailState } from "../../resources/cloudtrail-trail/state";
import { defineCollector, type CollectContext } from "../collector";

type TrailObservation = Observation<"AWS::CloudTrail::Trail">;

/**
 * The trail's state as the CloudTrail calls give it, for the checks that can judge a standing trail:
 * logging (GetTrailStatus), log file validation, KMS key. Multi-Region is stated only when the trail
 * is multi-Region: VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED judges a trail *turned* single-Region, and a
 * trail created single-Region is not that (undecided, as for an UpdateTrail that didn't set it).
 */
export function stateFromTrail(
  trail: Trail & { TrailARN: string; Name: string },
  logging: boolean,
): TrailState {
  return {
    trailArn: trail.TrailARN,
    trailName: trail.Name,
    logging,
    logFileValidation: trail.LogFileValidationEnabled === true,
    ...(trail.IsMultiRegionTrail
      ? { multiRegion: true, includeGlobalServiceEvents: trail.IncludeGlobalServiceEvents === true }
      : {}),
    kmsKeyId: trail.KmsKeyId ?? null,
  };
}

/** IsLogging, or undefined when the trail vanished since the listing. */
async function isLogging(cloudTrail: CloudTrailClient, trailArn: string): Promise<boolean | undefined> {
  const { GetTrailStatusCommand } = await loadCloudTrail();
  try {
    const status = await cloudTrail.send(new GetTrailStatusCommand({ Name: trailArn }));
    if (typeof status.IsLogging !== "boolean")
      throw new Error(`GetTrailStatus ${trailArn} answered without IsLogging`);
    return status.IsLogging;
  } catch (error) {
    if (errorName(error) === "TrailNotFoundException") return undefined;
    throw error;
  }
}

/**
 * Every trail whose home is this Region, once. A multi-Region trail also shows in every other Region
 * (a shadow): those are left out (`includeShadowTrails: false`, and HomeRegion checked), so each trail
 * is swept once, where it can be changed. An organization trail seen from a member account belongs
 * to the management account: not this account's to judge or fix, so skipped too. DescribeTrails has
 * no pagination (it answers every trail at once), hence no paginator.
 */
export default defineCollector({
  resourceType: TRAIL_TYPE,
  scope: "regional",
  iamActions: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"],
  async *collect(ctx: CollectContext): AsyncIterable<TrailObservation> {
    const [cloudTrail, { DescribeTrailsCommand }] = await Promise.all([
      ctx.clients.cloudTrail(),
      loadCloudTrail(),
    ]);
    const out = await cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    const observedAt = ctx.now.toISOString();
    for (const trail of out.trailList ?? []) {
      const { TrailARN, Name } = trail;
      if (!TrailARN || !Name || trail.HomeRegion !== ctx.region) continue;
      const { ref, outOfScope } = trailTarget(TrailARN, ctx.account, ctx.region);
      if (outOfScope) continue;
      const logging = await isLogging(cloudTrail, TrailARN);
      if (logging === undefined) continue;
      yield {
        resource: ref,
        state: stateFromTrail({ ...trail, TrailARN, Name }, logging),
        complete: true,
        observedAt,
        // DescribeTrails carries no tags: the pipeline reads them (ListTags) as for an event.
        tagsKnown: false,
      };
    }
  },
});
