import type { GetDetectorCommandOutput, GuardDutyClient } from "@aws-sdk/client-guardduty";
import { loadGuardDuty } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { isDetectorGone } from "../../resources/guardduty-detector/gone";
import { DETECTOR_TYPE, detectorRef } from "../../resources/guardduty-detector/ref";
import type { DetectorState } from "../../resources/guardduty-detector/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

type DetectorObservation = Observation<"AWS::GuardDuty::Detector">;

/** ListDetectors takes 1 to 50 per page (a Region has one detector, but the API pages all the same). */
const PAGE_SIZE = 50;

/**
 * The detector's state as the event path states it: whether it runs. Protection plans are left
 * out (undefined): VIGIL.GUARDDUTY.PROTECTION_DISABLED judges plans a call *turned off*, and a plan
 * that is simply off (Runtime Monitoring is off by default) is not that; stating them would report,
 * and the remediation would turn on, plans nobody turned off.
 */
export function stateFromDetector(
  detectorId: string,
  account: string,
  region: string,
  detector: GetDetectorCommandOutput,
): DetectorState {
  return {
    detectorId,
    detectorArn: detectorRef(detectorId, account, region).arn,
    region,
    enabled: detector.Status === "ENABLED",
    tags: { ...detector.Tags },
  };
}

/** GetDetector, or undefined when the detector was deleted since the listing. */
async function getDetector(guardDuty: GuardDutyClient, detectorId: string) {
  const { GetDetectorCommand } = await loadGuardDuty();
  try {
    return await guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId }));
  } catch (error) {
    if (isDetectorGone(error)) return undefined;
    throw error;
  }
}

/**
 * The Region's detector (GuardDuty allows one per account and Region). A Region with no detector
 * yields nothing: DetectorState names a detector, and "GuardDuty was never turned on here" is not a
 * state the current checks judge (VIGIL.GUARDDUTY.DELETED is about a deletion the call records).
 */
export function guardDutyDetectorsCollector(pageSize = PAGE_SIZE): Collector<"AWS::GuardDuty::Detector"> {
  return defineCollector({
    resourceType: DETECTOR_TYPE,
    scope: "regional",
    iamActions: ["guardduty:GetDetector", "guardduty:ListDetectors"],
    async *collect(ctx: CollectContext): AsyncIterable<DetectorObservation> {
      const [guardDuty, { paginateListDetectors }] = await Promise.all([
        ctx.clients.guardDuty(),
        loadGuardDuty(),
      ]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListDetectors({ client: guardDuty }, { MaxResults: pageSize })) {
        for (const detectorId of page.DetectorIds ?? []) {
          const detector = await getDetector(guardDuty, detectorId);
          if (!detector) continue;
          if (typeof detector.Status !== "string")
            throw new Error(`GetDetector ${detectorId} answered without Status`);
          yield {
            resource: detectorRef(detectorId, ctx.account, ctx.region),
            state: stateFromDetector(detectorId, ctx.account, ctx.region, detector),
            complete: true,
            observedAt,
            // GetDetector answers the detector's tags: no separate tag read.
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default guardDutyDetectorsCollector();
