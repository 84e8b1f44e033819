import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { kmsDate } from "./dates";
import { keyTarget } from "./ref";
import { whyRotationDoesNotApply } from "./rotation-support";
import type { KeyFacts, KmsKeyState } from "./state";

type KeyObservation = Observation<"AWS::KMS::Key">;
type Aspects = Omit<KmsKeyState, "keyId" | "keyArn" | "region" | "outOfScope" | "tags">;

const requestSchema = z.looseObject({
  keyId: z.string().min(1),
  pendingWindowInDays: z.number().int().optional(),
  rotationPeriodInDays: z.number().int().optional(),
});
/** Answers of the key calls; since December 2022 they name the key by ARN (`keyId`). */
const responseSchema = z
  .looseObject({
    keyId: z.string().min(1).optional(),
    deletionDate: z.union([z.string(), z.number()]).optional(),
    keyState: z.string().optional(),
    pendingWindowInDays: z.number().int().optional(),
  })
  .nullable()
  .optional();
/** `CreateKey`'s answer: the new key's metadata (camelCase; `customerMasterKeySpec` is the old name of `keySpec`). */
const createResponseSchema = z.looseObject({
  keyMetadata: z.looseObject({
    keyId: z.string().min(1),
    arn: z.string().min(1).optional(),
    keySpec: z.string().optional(),
    customerMasterKeySpec: z.string().optional(),
    keyManager: z.string().min(1),
    origin: z.string().min(1),
    keyState: z.string().min(1),
    multiRegionConfiguration: z
      .looseObject({ multiRegionKeyType: z.string().optional() })
      .nullable()
      .optional(),
  }),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function observe(
  detail: CloudTrailDetail,
  account: string,
  idOrArn: string,
  aspects: Aspects,
  needsRefresh = false,
): KeyObservation {
  const { ref, keyId, outOfScope } = keyTarget(idOrArn, account, detail.awsRegion);
  return {
    resource: ref,
    state: { keyId, keyArn: ref.arn, region: ref.region, ...aspects, ...(outOfScope ? { outOfScope } : {}) },
    // Complete for the aspects the call states; checks of other aspects stay undecided.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
    ...(needsRefresh ? { needsRefresh } : {}),
  };
}

/** The key a call acted on: the answer's key ARN when there is one, else the request's id or ARN. */
function keyOf(detail: CloudTrailDetail) {
  const request = parse(requestSchema, detail.requestParameters, `${detail.eventName} requestParameters`);
  const response = parse(responseSchema, detail.responseElements, `${detail.eventName} responseElements`);
  return { idOrArn: response?.keyId ?? request.keyId, request, response };
}

/** `ScheduleKeyDeletion`: the schedule is in the answer (deletion date, waiting period, new key state). */
export function fromScheduleKeyDeletion(detail: CloudTrailDetail, account: string): KeyObservation[] {
  const { idOrArn, request, response } = keyOf(detail);
  const deletionDate = response?.deletionDate === undefined ? undefined : kmsDate(response.deletionDate);
  const pendingWindowInDays = response?.pendingWindowInDays ?? request.pendingWindowInDays;
  const deletion = {
    scheduledAt: detail.eventTime,
    ...(deletionDate ? { deletionDate } : {}),
    ...(pendingWindowInDays !== undefined ? { pendingWindowInDays } : {}),
    ...(response?.keyState ? { keyState: response.keyState } : {}),
  };
  return [observe(detail, account, idOrArn, { deletion })];
}

/** `CancelKeyDeletion`: no deletion is pending any more (the key is left Disabled by KMS). */
export function fromCancelKeyDeletion(detail: CloudTrailDetail, account: string): KeyObservation[] {
  return [observe(detail, account, keyOf(detail).idOrArn, { deletion: null })];
}

/**
 * `DisableKeyRotation` / `EnableKeyRotation`: what the call set. Turning rotation off is confirmed
 * live (`refresh`): whether KMS.4 applies depends on the kind of key, which the call doesn't say,
 * and rotation may be back on by the time the event arrives. Turning it on needs no read.
 */
export function fromRotationCall(detail: CloudTrailDetail, account: string): KeyObservation[] {
  const { idOrArn, request } = keyOf(detail);
  const enabled = detail.eventName === "EnableKeyRotation";
  const rotation = {
    enabled,
    ...(enabled && request.rotationPeriodInDays !== undefined
      ? { periodInDays: request.rotationPeriodInDays }
      : {}),
  };
  return [observe(detail, account, idOrArn, { rotation }, !enabled)];
}

/**
 * `CreateKey` (also logged for the new replica of `ReplicateKey`): the answer says what kind of key
 * it is, and a new key never rotates. FSBP judges every customer key (KMS.4 is periodic), so a new
 * key without rotation is reported, but only after a live read: infrastructure as code often turns
 * rotation on seconds after creating the key. Keys rotation doesn't apply to need no read.
 */
export function fromCreateKey(detail: CloudTrailDetail, account: string): KeyObservation[] {
  const { keyMetadata: meta } = parse(
    createResponseSchema,
    detail.responseElements,
    "CreateKey responseElements",
  );
  const keySpec = meta.keySpec ?? meta.customerMasterKeySpec;
  if (!keySpec) throw new UnusableEventError("CreateKey responseElements: keyMetadata has no keySpec");
  const key: KeyFacts = {
    keySpec,
    keyManager: meta.keyManager,
    origin: meta.origin,
    keyState: meta.keyState,
    ...(meta.multiRegionConfiguration?.multiRegionKeyType
      ? { multiRegionKeyType: meta.multiRegionConfiguration.multiRegionKeyType }
      : {}),
  };
  const applies = whyRotationDoesNotApply(key) === undefined;
  return [observe(detail, account, meta.arn ?? meta.keyId, { key, rotation: { enabled: false } }, applies)];
}
