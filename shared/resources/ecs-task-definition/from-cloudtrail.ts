import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { stateFromDefinition } from "./definition";
import { familyRef, parseTaskDefinitionArn } from "./ref";

type TaskDefinitionObservation = Observation<"AWS::ECS::TaskDefinition">;

const registerRequestSchema = z.looseObject({ family: z.string().min(1).optional() });
/** `DeregisterTaskDefinition` names the revision as `family:revision` or as its full ARN. */
const deregisterRequestSchema = z.looseObject({ taskDefinition: z.string().min(1) });
const responseSchema = z
  .looseObject({ taskDefinition: z.record(z.string(), z.unknown()).nullable().optional() })
  .nullable()
  .optional();

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
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
  what: string,
): TaskDefinitionObservation {
  const state = definition ? stateFromDefinition(definition, what) : undefined;
  const partition = parseTaskDefinitionArn(state?.arn)?.partition;
  return {
    resource: familyRef(family, account, detail.awsRegion, partition),
    state,
    complete: state !== undefined,
    observedAt: detail.eventTime,
    tagsKnown: false,
    needsRefresh: true,
  };
}

/** `RegisterTaskDefinition`: the response is the whole new revision (environment values possibly hidden). */
export function fromRegister(detail: CloudTrailDetail, account: string): TaskDefinitionObservation[] {
  const request = parse(
    registerRequestSchema,
    detail.requestParameters ?? {},
    "RegisterTaskDefinition requestParameters",
  );
  const response = parse(responseSchema, detail.responseElements, "RegisterTaskDefinition responseElements");
  const definition = response?.taskDefinition;
  const family = (typeof definition?.family === "string" ? definition.family : undefined) ?? request.family;
  if (!family)
    throw new UnusableEventError("RegisterTaskDefinition names no family in its request or response");
  return [
    observation(
      detail,
      account,
      family,
      definition,
      "RegisterTaskDefinition responseElements.taskDefinition",
    ),
  ];
}

/** `DeregisterTaskDefinition`: that revision is INACTIVE now, and an older one may be the latest ACTIVE again. */
export function fromDeregister(detail: CloudTrailDetail, account: string): TaskDefinitionObservation[] {
  const request = parse(
    deregisterRequestSchema,
    detail.requestParameters,
    "DeregisterTaskDefinition requestParameters",
  );
  const response = parse(
    responseSchema,
    detail.responseElements,
    "DeregisterTaskDefinition responseElements",
  );
  const named = request.taskDefinition;
  const family = parseTaskDefinitionArn(named)?.family ?? /^([A-Za-z0-9_-]+):\d+$/.exec(named)?.[1];
  if (!family) {
    throw new UnusableEventError(
      `DeregisterTaskDefinition: "${named}" is neither family:revision nor an ARN`,
    );
  }
  const definition = response?.taskDefinition;
  return [
    observation(
      detail,
      account,
      family,
      definition,
      "DeregisterTaskDefinition responseElements.taskDefinition",
    ),
  ];
}
