import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import type { ResourceRef } from "../../core/resource";
import { UnusableEventError, type Observation } from "../adapter";
import { topicRef } from "./ref";
import type { SnsTopicState } from "./state";

type TopicObservation = Observation<"AWS::SNS::Topic">;

const createRequestSchema = z.looseObject({
  name: z.string().min(1),
  attributes: z.looseObject({ KmsMasterKeyId: z.string().optional() }).nullable().optional(),
});
const createResponseSchema = z.looseObject({ topicArn: z.string().min(1) });
const byArnRequestSchema = z.looseObject({
  topicArn: z.string().min(1),
  attributeName: z.string().optional(),
  attributeValue: z.string().nullable().optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function target(topicArn: string, eventName: string): ResourceRef {
  const ref = topicRef(topicArn);
  if (!ref) throw new UnusableEventError(`${eventName}: "${topicArn}" is not an SNS topic ARN`);
  return ref;
}

/** The key the call set: the key, null for "" (removed), undefined when the call doesn't say (read live). */
function observe(
  detail: CloudTrailDetail,
  ref: ResourceRef,
  key: string | null | undefined,
): TopicObservation {
  const state: SnsTopicState = {
    topicArn: ref.arn,
    topicName: ref.name ?? ref.id,
    ...(key !== undefined ? { kmsMasterKeyId: key } : {}),
  };
  return {
    resource: ref,
    state,
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
    ...(key === undefined ? { needsRefresh: true } : {}),
  };
}

function keyOf(value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === null || value.trim() === "" ? null : value;
}

/**
 * `CreateTopic` with a key, or `SetTopicAttributes` of `KmsMasterKeyId`, settles encryption. A
 * `CreateTopic` without one is read live: CreateTopic is idempotent, so it may have returned an
 * existing topic that has a key. Other attributes (policy, delivery) leave encryption as it was.
 */
export function fromTopicCall(detail: CloudTrailDetail): TopicObservation[] {
  switch (detail.eventName) {
    case "CreateTopic": {
      const request = parse(createRequestSchema, detail.requestParameters, "CreateTopic requestParameters");
      const response = parse(createResponseSchema, detail.responseElements, "CreateTopic responseElements");
      const key = keyOf(request.attributes?.KmsMasterKeyId);
      return [observe(detail, target(response.topicArn, detail.eventName), key || undefined)];
    }
    case "SetTopicAttributes": {
      const request = parse(
        byArnRequestSchema,
        detail.requestParameters,
        "SetTopicAttributes requestParameters",
      );
      if (request.attributeName !== "KmsMasterKeyId") return [];
      return [observe(detail, target(request.topicArn, detail.eventName), keyOf(request.attributeValue))];
    }
    case "DeleteTopic": {
      const request = parse(byArnRequestSchema, detail.requestParameters, "DeleteTopic requestParameters");
      const resource = target(request.topicArn, detail.eventName);
      return [{ resource, state: undefined, complete: true, observedAt: detail.eventTime, tagsKnown: false }];
    }
    default:
      throw new UnusableEventError(`no SNS topic reader for ${detail.eventName}`);
  }
}
