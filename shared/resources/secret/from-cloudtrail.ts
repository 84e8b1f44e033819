import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { secretRef, secretTarget, type SecretTarget } from "./ref";
import type { SecretState } from "./state";

type SecretObservation = Observation<"AWS::SecretsManager::Secret">;

export const SECRETS_MANAGER_EVENT_SOURCE = "secretsmanager.amazonaws.com";

/** API calls that change what the checks look at; each is confirmed by a live read. */
export const SECRET_CALLS = ["CreateSecret", "RotateSecret", "CancelRotateSecret", "RestoreSecret"];
/** Ends the secret (scheduled or immediate): its findings resolve; `RestoreSecret` brings it back. */
export const DELETE_SECRET = "DeleteSecret";
/** Secrets Manager's own events ("AWS Service Event via CloudTrail"), sent when a rotation ends. */
export const ROTATION_FAILED = "RotationFailed";
export const ROTATION_SUCCEEDED = "RotationSucceeded";

const text = z.string().nullable().optional();
const idSchema = z.looseObject({ secretId: text, SecretId: text }).nullable().optional().catch(undefined);
/** Before February 2024 CloudTrail wrote the secret's ARN as `aRN`; now `arn`. */
const responseSchema = z
  .looseObject({ arn: text, aRN: text, ARN: text, name: text })
  .nullable()
  .optional()
  .catch(undefined);
const requestSchema = z.looseObject({ secretId: text, name: text }).nullable().optional().catch(undefined);
const resourcesSchema = z
  .array(z.looseObject({ ARN: text }))
  .nullable()
  .optional()
  .catch(undefined);

const eventSchema = z.looseObject({
  requestParameters: requestSchema,
  responseElements: responseSchema,
  additionalEventData: idSchema,
  serviceEventDetails: idSchema,
  resources: resourcesSchema,
  errorMessage: text,
});

/** Which secret an event is about: only a full ARN identifies it (names are reused after deletion). */
function targetOf(detail: CloudTrailDetail): SecretTarget {
  const event = eventSchema.parse(detail);
  const response = event.responseElements;
  const candidates = [
    response?.arn,
    response?.aRN,
    response?.ARN,
    event.additionalEventData?.SecretId,
    event.additionalEventData?.secretId,
    event.serviceEventDetails?.secretId,
    event.serviceEventDetails?.SecretId,
    event.requestParameters?.secretId,
    ...(event.resources ?? []).map((r) => r.ARN),
  ];
  const name = response?.name ?? event.requestParameters?.name ?? undefined;
  for (const candidate of candidates) {
    const target = secretTarget(candidate, name);
    if (target) return target;
  }
  throw new UnusableEventError(`${detail.eventName} names no secret ARN`);
}

/**
 * What a `RotationFailed` event says about the failure, without its message (a rotation function's
 * error text is not Vigil's to copy into findings): the step and the function, when named.
 * Secrets Manager writes e.g. "Error when executing lambda arn:aws:lambda:… during createSecret step".
 */
function failureOf(detail: CloudTrailDetail): NonNullable<SecretState["rotationFailure"]> {
  const message = eventSchema.parse(detail).errorMessage ?? "";
  const step = /\bduring (createSecret|setSecret|testSecret|finishSecret) step\b/.exec(message)?.[1];
  const lambdaArn = /\barn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+/.exec(message)?.[0];
  return { at: detail.eventTime, ...(step ? { step } : {}), ...(lambdaArn ? { lambdaArn } : {}) };
}

/**
 * Every Secrets Manager call and rotation event only points at the secret: its rotation settings,
 * dates and tags are read live (DescribeSecret) before any check runs. That live read is also what
 * keeps the common "CreateSecret, then RotateSecret seconds later" from alerting: by the time the
 * CreateSecret event is processed, the live secret usually already rotates.
 */
export function fromSecretEvent(detail: CloudTrailDetail): SecretObservation[] {
  const target = targetOf(detail);
  const base = { resource: secretRef(target), observedAt: detail.eventTime };
  if (detail.eventName === DELETE_SECRET)
    return [{ ...base, state: undefined, complete: true, tagsKnown: true }];
  if (![...SECRET_CALLS, ROTATION_FAILED, ROTATION_SUCCEEDED].includes(detail.eventName))
    throw new UnusableEventError(`no secret reader for ${detail.eventName}`);
  const state: SecretState = {
    arn: target.arn,
    name: target.name,
    asOf: detail.eventTime,
    ...(detail.eventName === ROTATION_FAILED ? { rotationFailure: failureOf(detail) } : {}),
  };
  return [{ ...base, state, complete: false, tagsKnown: false, needsRefresh: true }];
}
