import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { protectionChanges, protectionRequestSchema } from "./protections";
import { detectorRef } from "./ref";
import type { DetectorState } from "./state";

type DetectorObservation = Observation<"AWS::GuardDuty::Detector">;

/** GuardDuty detector ids are alphanumeric (32 hex chars in practice); anything else is not built into an ARN. */
const requestSchema = z.looseObject({
  detectorId: z.string().regex(/^[A-Za-z0-9]{1,300}$/, "not a GuardDuty detector id"),
  enable: z.boolean().optional(),
  ...protectionRequestSchema.shape,
});

function parseRequest(detail: CloudTrailDetail): z.infer<typeof requestSchema> {
  const result = requestSchema.safeParse(detail.requestParameters);
  if (!result.success) {
    throw new UnusableEventError(`${detail.eventName} requestParameters: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

function observe(
  detail: CloudTrailDetail,
  account: string,
  detectorId: string,
  settings: Pick<DetectorState, "enabled" | "deleted" | "protections">,
): DetectorObservation {
  const resource = detectorRef(detectorId, account, detail.awsRegion);
  return {
    resource,
    state: { detectorId, detectorArn: resource.arn, region: detail.awsRegion, ...settings },
    // Complete for the settings the call states; checks of other settings stay undecided.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
  };
}

/**
 * `UpdateDetector`: `enable` is the whole truth about whether the detector runs (absent = not
 * changed); `features`/`dataSources` say which protection plans it turned on or off.
 */
export function fromUpdateDetector(detail: CloudTrailDetail, account: string): DetectorObservation[] {
  const request = parseRequest(detail);
  const protections = protectionChanges(request);
  const settings = {
    ...(request.enable === undefined ? {} : { enabled: request.enable }),
    ...(protections ? { protections } : {}),
  };
  return [observe(detail, account, request.detectorId, settings)];
}

/** `DeleteDetector`: the detector is gone; its deletion is the violation (see `DetectorState.deleted`). */
export function fromDeleteDetector(detail: CloudTrailDetail, account: string): DetectorObservation[] {
  const request = parseRequest(detail);
  return [observe(detail, account, request.detectorId, { deleted: true })];
}
