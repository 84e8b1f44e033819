import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import type { TrailState } from "./state";
import { trailTarget } from "./ref";

type TrailObservation = Observation<"AWS::CloudTrail::Trail">;

const requestSchema = z.looseObject({
  name: z.string().min(1),
  enableLogFileValidation: z.boolean().optional(),
  isMultiRegionTrail: z.boolean().optional(),
});

/** `UpdateTrail`'s answer: the trail's settings after the call. `kmsKeyId` is absent when there is none. */
const updateResponseSchema = z.looseObject({
  name: z.string().min(1),
  trailARN: z.string().min(1),
  logFileValidationEnabled: z.boolean(),
  isMultiRegionTrail: z.boolean(),
  includeGlobalServiceEvents: z.boolean().optional(),
  kmsKeyId: z.string().min(1).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function observe(
  detail: CloudTrailDetail,
  account: string,
  nameOrArn: string,
  settings: Omit<TrailState, "trailArn" | "trailName" | "outOfScope" | "tags">,
  complete: boolean,
): TrailObservation {
  const { ref, outOfScope } = trailTarget(nameOrArn, account, detail.awsRegion);
  return {
    resource: ref,
    state: {
      trailArn: ref.arn,
      trailName: ref.name ?? ref.id,
      ...settings,
      ...(outOfScope ? { outOfScope } : {}),
    },
    // Complete for the settings the call states; checks of other settings stay undecided.
    complete,
    observedAt: detail.eventTime,
    tagsKnown: false,
  };
}

/** `StopLogging`/`StartLogging`: the call itself is the whole truth about whether the trail logs. */
export function fromLoggingCall(detail: CloudTrailDetail, account: string): TrailObservation[] {
  const { name } = parse(requestSchema, detail.requestParameters, `${detail.eventName} requestParameters`);
  return [observe(detail, account, name, { logging: detail.eventName === "StartLogging" }, true)];
}

/** `DeleteTrail`: the trail is gone; its deletion is the violation (see `TrailState.deleted`). */
export function fromDeleteTrail(detail: CloudTrailDetail, account: string): TrailObservation[] {
  const { name } = parse(requestSchema, detail.requestParameters, "DeleteTrail requestParameters");
  return [observe(detail, account, name, { deleted: true }, true)];
}

/**
 * `UpdateTrail`: the response carries the trail's new settings, so validation and encryption are
 * known whatever the request changed. Multi-region is judged only when the request set it, so an
 * unrelated edit of a single-region trail is not reported as "multi-region turned off".
 */
export function fromUpdateTrail(detail: CloudTrailDetail, account: string): TrailObservation[] {
  const request = parse(requestSchema, detail.requestParameters, "UpdateTrail requestParameters");
  const response = parse(updateResponseSchema, detail.responseElements, "UpdateTrail responseElements");
  const settings = {
    logFileValidation: response.logFileValidationEnabled,
    kmsKeyId: response.kmsKeyId ?? null,
    changedAt: detail.eventTime,
    ...(request.isMultiRegionTrail !== undefined
      ? {
          multiRegion: response.isMultiRegionTrail,
          includeGlobalServiceEvents: response.includeGlobalServiceEvents,
        }
      : {}),
  };
  return [observe(detail, account, response.trailARN, settings, true)];
}
