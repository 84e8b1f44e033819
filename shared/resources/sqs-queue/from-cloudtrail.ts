import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { flagAttribute, keyAttribute, queueEncryption } from "./encryption";
import { queueFromUrl, queueRef, type QueueTarget } from "./ref";
import type { SqsQueueState } from "./state";

type QueueObservation = Observation<"AWS::SQS::Queue">;

/** The two attributes that decide encryption at rest; the request carries only those the caller set. */
const attributesSchema = z
  .looseObject({
    KmsMasterKeyId: z.string().optional(),
    SqsManagedSseEnabled: z.union([z.string(), z.boolean()]).optional(),
  })
  .nullable()
  .optional();

const createRequestSchema = z.looseObject({ queueName: z.string().min(1), attributes: attributesSchema });
const createResponseSchema = z.looseObject({ queueUrl: z.string().min(1) });
const byUrlRequestSchema = z.looseObject({ queueUrl: z.string().min(1), attributes: attributesSchema });

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function target(queueUrl: string, detail: CloudTrailDetail): QueueTarget {
  const found = queueFromUrl(queueUrl, detail.awsRegion);
  if (!found) throw new UnusableEventError(`${detail.eventName}: "${queueUrl}" is not an SQS queue URL`);
  return found;
}

/**
 * What the call set, as a state. When it settles encryption (a KMS key, SSE-SQS on, or both
 * explicitly off) the event is the truth; otherwise the queue is read live: a CreateQueue that names
 * no encryption may have met an existing queue (CreateQueue is idempotent) or a non-TLS endpoint
 * (no SSE-SQS by default), and turning one setting off says nothing about the other.
 */
function observe(
  detail: CloudTrailDetail,
  queue: QueueTarget,
  attributes: z.infer<typeof attributesSchema>,
): QueueObservation {
  const kmsMasterKeyId = keyAttribute(attributes?.KmsMasterKeyId);
  const sqsManagedSse = flagAttribute(attributes?.SqsManagedSseEnabled);
  const state: SqsQueueState = {
    queueUrl: queue.queueUrl,
    queueArn: queue.queueArn,
    queueName: queue.queueName,
    ...(kmsMasterKeyId !== undefined ? { kmsMasterKeyId } : {}),
    ...(sqsManagedSse !== undefined ? { sqsManagedSse } : {}),
  };
  const settled = queueEncryption(state) !== undefined;
  return {
    resource: queueRef(queue),
    state,
    // Whole for encryption once settled; SQS.1 stays undecided on what the event left open.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
    ...(settled ? {} : { needsRefresh: true }),
  };
}

export function fromQueueCall(detail: CloudTrailDetail): QueueObservation[] {
  switch (detail.eventName) {
    case "CreateQueue": {
      const request = parse(createRequestSchema, detail.requestParameters, "CreateQueue requestParameters");
      const response = parse(createResponseSchema, detail.responseElements, "CreateQueue responseElements");
      return [observe(detail, target(response.queueUrl, detail), request.attributes)];
    }
    case "SetQueueAttributes": {
      const request = parse(
        byUrlRequestSchema,
        detail.requestParameters,
        "SetQueueAttributes requestParameters",
      );
      const touched =
        request.attributes?.KmsMasterKeyId !== undefined ||
        request.attributes?.SqsManagedSseEnabled !== undefined;
      // A change of policy, timeouts or redrive leaves encryption as it was: nothing to judge.
      return touched ? [observe(detail, target(request.queueUrl, detail), request.attributes)] : [];
    }
    case "DeleteQueue": {
      const request = parse(byUrlRequestSchema, detail.requestParameters, "DeleteQueue requestParameters");
      const queue = target(request.queueUrl, detail);
      return [
        {
          resource: queueRef(queue),
          state: undefined,
          complete: true,
          observedAt: detail.eventTime,
          tagsKnown: false,
        },
      ];
    }
    default:
      throw new UnusableEventError(`no SQS queue reader for ${detail.eventName}`);
  }
}
