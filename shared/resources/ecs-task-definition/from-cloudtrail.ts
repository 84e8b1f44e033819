import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { parseOrUnusable, stateFromDefinition } from "./definition";
import { familyRef, parseTaskDefinitionArn } from "./ref";

type TaskDefinitionObservation = Observation<"AWS::ECS::TaskDefinition">;

const registerRequestSchema = z.looseObject({ family: z.string().min(1).optional() });
/** `DeregisterTaskDefinition` names the revision as `family:revision` or as its full ARN. */
const deregisterRequestSchema = z.looseObject({ taskDefinition: z.string().min(1) });
/** Both calls answer with the whole revision (environment values possibly hidden); absent when CloudTrail omitted it. */
const responseSchema = z
  .looseObject({ taskDefinition: z.record(z.string(), z.unknown()).nullable().optional() })
  .nullable()
  .optional();

/** The revision the call answered with, if it did. */
function answeredDefinition(detail: CloudTrailDetail): Record<string, unknown> | null | undefined {
  const what = `${detail.eventName} responseElements`;
  return parseOrUnusable(responseSchema, detail.responseElements, what)?.taskDefinition;
}

/**
 * Only the family's latest ACTIVE revision counts, and no single call says which that is when the
 * event is processed (a newer revision may exist, events may arrive out of order, a deregistration
 * brings an older revision back). So every event is confirmed by a live read of the family
 * (`needsRefresh`); the event's own definition is kept as what it said.
 */
function observation(
  detail: CloudTrailDetail,
  account: string,
  family: string,
  definition: Record<string, unknown> | null | undefined,
): TaskDefinitionObservation[] {
  const state = definition
    ? stateFromDefinition(definition, `${detail.eventName} responseElements.taskDefinition`)
    : undefined;
  const partition = parseTaskDefinitionArn(state?.arn)?.partition;
  return [
    {
      resource: familyRef(family, account, detail.awsRegion, partition),
      state,
      complete: state !== undefined,
      observedAt: detail.eventTime,
      tagsKnown: false,
      needsRefresh: true,
    },
  ];
}

/** `RegisterTaskDefinition`: a new revision, now the family's latest ACTIVE one (unless a newer one followed). */
export function fromRegister(detail: CloudTrailDetail, account: string): TaskDefinitionObservation[] {
  const request = parseOrUnusable(
    registerRequestSchema,
    detail.requestParameters ?? {},
    "RegisterTaskDefinition requestParameters",
  );
  const definition = answeredDefinition(detail);
  const family = (typeof definition?.family === "string" ? definition.family : undefined) ?? request.family;
  if (!family)
    throw new UnusableEventError("RegisterTaskDefinition names no family in its request or response");
  return observation(detail, account, family, definition);
}

/** `DeregisterTaskDefinition`: that revision is INACTIVE now, and an older one may be the latest ACTIVE again. */
export function fromDeregister(detail: CloudTrailDetail, account: string): TaskDefinitionObservation[] {
  const named = parseOrUnusable(
    deregisterRequestSchema,
    detail.requestParameters,
    "DeregisterTaskDefinition requestParameters",
  ).taskDefinition;
  const family = parseTaskDefinitionArn(named)?.family ?? /^([A-Za-z0-9_-]+):\d+$/.exec(named)?.[1];
  if (!family) {
    throw new UnusableEventError(
      `DeregisterTaskDefinition: "${named}" is neither family:revision nor an ARN`,
    );
  }
  return observation(detail, account, family, answeredDefinition(detail));
}
