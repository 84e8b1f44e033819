import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { flagSchema, parseEventPart } from "./event-parsing";
import { needsKeyLookup } from "./kms-key";
import { parseRepositoryPolicy } from "./policy";
import { publicStatements } from "./policy-exposure";
import { parseRepositoryArn, repositoryArn, repositoryRef } from "./ref";
import { isMutable } from "./scan-coverage";
import type { EcrRepositoryState } from "./state";

type RepositoryObservation = Observation<"AWS::ECR::Repository">;

const text = z.string().nullable().optional();
const scanningSchema = z.looseObject({ scanOnPush: flagSchema.optional() }).nullable().optional();
const exclusionFiltersSchema = z
  .array(z.looseObject({ filter: z.string(), filterType: z.string().optional() }))
  .nullable()
  .optional();
const encryptionSchema = z
  .looseObject({ encryptionType: z.string().optional(), kmsKey: text })
  .nullable()
  .optional();
/** CloudTrail writes CreateRepository's tags as `{key, value}`; the API model says `{Key, Value}`. */
const tagsSchema = z
  .array(z.looseObject({ key: z.string().optional(), Key: z.string().optional(), value: text, Value: text }))
  .nullable()
  .optional();

const addressSchema = z.looseObject({ repositoryName: z.string().min(1), registryId: z.string().optional() });
const responseAddressSchema = z.looseObject({
  repositoryName: z.string().optional(),
  registryId: z.string().optional(),
});
const resourcesSchema = z
  .array(z.looseObject({ ARN: z.string().optional() }))
  .nullable()
  .optional()
  .catch(undefined);

/** The call's request and response, each checked against its schema (`responseElements` is null for some calls). */
function parseCall<Q extends z.ZodType, R extends z.ZodType>(
  detail: CloudTrailDetail,
  requestSchema: Q,
  responseSchema: R,
): { request: z.infer<Q>; response: z.infer<R> } {
  return {
    request: parseEventPart(requestSchema, detail.requestParameters, `${detail.eventName} requestParameters`),
    response: parseEventPart(responseSchema, detail.responseElements, `${detail.eventName} responseElements`),
  };
}

interface Target {
  repositoryName: string;
  registryId: string;
  repositoryArn: string;
}

/** Which repository a call acted on: the response says it best, then the request, then `resources`. */
function targetOf(
  detail: CloudTrailDetail,
  account: string,
  request: { repositoryName: string; registryId?: string | undefined },
  response: { repositoryName?: string | undefined; registryId?: string | undefined } | null | undefined,
): Target {
  const resources = resourcesSchema.parse((detail as { resources?: unknown }).resources);
  const fromArn = resources?.map((r) => parseRepositoryArn(r.ARN)).find((r) => r !== undefined);
  const repositoryName = response?.repositoryName ?? request.repositoryName;
  const registryId = response?.registryId ?? request.registryId ?? fromArn?.registryId ?? account;
  return {
    repositoryName,
    registryId,
    repositoryArn: repositoryArn(detail.awsRegion, registryId, repositoryName),
  };
}

function observation(
  detail: CloudTrailDetail,
  target: Target,
  state: Omit<EcrRepositoryState, "repositoryName" | "registryId" | "repositoryArn">,
  extra: { tagsKnown?: boolean } = {},
): RepositoryObservation {
  return {
    resource: repositoryRef(target.repositoryName, target.registryId, detail.awsRegion, target.repositoryArn),
    state: { ...target, ...state },
    complete: false,
    observedAt: detail.eventTime,
    tagsKnown: extra.tagsKnown ?? false,
    // A named KMS key is judged only once DescribeKey says who manages it (ECR.5).
    needsRefresh: state.pendingRead !== undefined || needsKeyLookup(state.encryption),
  };
}

const createRequestSchema = addressSchema.extend({
  imageTagMutability: z.string().optional(),
  imageTagMutabilityExclusionFilters: exclusionFiltersSchema,
  imageScanningConfiguration: scanningSchema,
  encryptionConfiguration: encryptionSchema,
  tags: tagsSchema,
});
const createResponseSchema = z
  .looseObject({
    repository: responseAddressSchema
      .extend({
        imageTagMutability: z.string().optional(),
        imageTagMutabilityExclusionFilters: exclusionFiltersSchema,
        imageScanningConfiguration: scanningSchema,
        encryptionConfiguration: encryptionSchema,
      })
      .optional(),
  })
  .nullable()
  .optional();

/**
 * `CreateRepository` describes the new repository's settings in full, except its lifecycle policy:
 * IaC puts that seconds later, so ECR.3 is left to Config (flagging here would be a false positive).
 * A new repository has no policy and exactly the tags of the request.
 */
function fromCreate(detail: CloudTrailDetail, account: string): RepositoryObservation {
  const { request, response } = parseCall(detail, createRequestSchema, createResponseSchema);
  const repository = response?.repository;
  const target = targetOf(detail, account, request, repository);
  // Defaults when the request left a setting out: scan-on-push off, MUTABLE, AES256.
  const scanOnPush =
    repository?.imageScanningConfiguration?.scanOnPush ??
    request.imageScanningConfiguration?.scanOnPush ??
    false;
  const filters =
    repository?.imageTagMutabilityExclusionFilters ?? request.imageTagMutabilityExclusionFilters;
  const encryptionType =
    repository?.encryptionConfiguration?.encryptionType ??
    request.encryptionConfiguration?.encryptionType ??
    "AES256";
  // The key the creator chose: the response names the AWS managed key's ARN when none was chosen.
  const kmsKey = request.encryptionConfiguration?.kmsKey;
  const tags = Object.fromEntries(
    (request.tags ?? []).flatMap((t) => {
      const key = t.key ?? t.Key;
      return key === undefined ? [] : [[key, t.value ?? t.Value ?? ""]];
    }),
  );
  return observation(
    detail,
    target,
    {
      tags,
      scanOnPush,
      tagMutability: {
        setting: repository?.imageTagMutability ?? request.imageTagMutability ?? "MUTABLE",
        exclusionFilters: (filters ?? []).map((f) => f.filter),
      },
      encryption: { type: encryptionType, ...(kmsKey ? { kmsKey } : {}) },
      policy: { kind: "none" },
      // Scan-on-push off is only a violation if no registry rule scans the repository.
      ...(scanOnPush ? {} : { pendingRead: "registry-scanning" as const }),
    },
    { tagsKnown: true },
  );
}

const scanningRequestSchema = addressSchema.extend({ imageScanningConfiguration: scanningSchema });
const scanningResponseSchema = responseAddressSchema
  .extend({ imageScanningConfiguration: scanningSchema })
  .nullable()
  .optional();

/** Scan-on-push turned off is confirmed against the registry's rules; turned on, the whole repository is re-read. */
function fromPutScanning(detail: CloudTrailDetail, account: string): RepositoryObservation {
  const { request, response } = parseCall(detail, scanningRequestSchema, scanningResponseSchema);
  const scanOnPush =
    response?.imageScanningConfiguration?.scanOnPush ?? request.imageScanningConfiguration?.scanOnPush;
  if (scanOnPush === undefined)
    throw new UnusableEventError("PutImageScanningConfiguration says nothing about scanOnPush");
  return observation(detail, targetOf(detail, account, request, response), {
    scanOnPush,
    pendingRead: scanOnPush ? "whole-repository" : "registry-scanning",
  });
}

const mutabilityRequestSchema = addressSchema.extend({
  imageTagMutability: z.string().optional(),
  imageTagMutabilityExclusionFilters: exclusionFiltersSchema,
});
const mutabilityResponseSchema = responseAddressSchema
  .extend({
    imageTagMutability: z.string().optional(),
    imageTagMutabilityExclusionFilters: exclusionFiltersSchema,
  })
  .nullable()
  .optional();

/** Mutable tags are flagged from the event; a change to immutable is confirmed by a live read, which can resolve. */
function fromPutMutability(detail: CloudTrailDetail, account: string): RepositoryObservation {
  const { request, response } = parseCall(detail, mutabilityRequestSchema, mutabilityResponseSchema);
  const setting = response?.imageTagMutability ?? request.imageTagMutability;
  if (!setting) throw new UnusableEventError("PutImageTagMutability names no imageTagMutability");
  const filters = response?.imageTagMutabilityExclusionFilters ?? request.imageTagMutabilityExclusionFilters;
  const tagMutability = { setting, exclusionFilters: (filters ?? []).map((f) => f.filter) };
  return observation(detail, targetOf(detail, account, request, response), {
    tagMutability,
    ...(isMutable(tagMutability) === true ? {} : { pendingRead: "whole-repository" as const }),
  });
}

const policyRequestSchema = addressSchema.extend({ policyText: z.string().optional() });
const policyResponseSchema = responseAddressSchema
  .extend({ policyText: z.string().optional() })
  .nullable()
  .optional();

/**
 * `policyText` is the policy's JSON as a string. A public policy is flagged from the event; any other
 * (or one CloudTrail hid) is confirmed by a live read, which can resolve an open finding.
 */
function fromSetPolicy(detail: CloudTrailDetail, account: string): RepositoryObservation {
  const { request, response } = parseCall(detail, policyRequestSchema, policyResponseSchema);
  const policyText = response?.policyText ?? request.policyText;
  const policy = policyText === undefined ? undefined : parseRepositoryPolicy(policyText);
  return observation(detail, targetOf(detail, account, request, response), {
    ...(policy ? { policy } : {}),
    ...(publicStatements(policy).length ? {} : { pendingRead: "whole-repository" as const }),
  });
}

/**
 * Calls that set one aspect and say nothing else worth reading. One that can only remove a problem
 * (`confirm`) has the live repository read so open findings can resolve; one that creates a problem
 * is flagged from the event.
 */
function fromOneAspectCall(
  detail: CloudTrailDetail,
  account: string,
  partial: Omit<EcrRepositoryState, "repositoryName" | "registryId" | "repositoryArn">,
  confirm: boolean,
): RepositoryObservation {
  const { request, response } = parseCall(detail, addressSchema, responseAddressSchema.nullable().optional());
  return observation(detail, targetOf(detail, account, request, response), {
    ...partial,
    ...(confirm ? { pendingRead: "whole-repository" as const } : {}),
  });
}

const deleteResponseSchema = z
  .looseObject({ repository: responseAddressSchema.optional() })
  .nullable()
  .optional();

/** `DeleteRepository`: gone, which resolves every open finding on it. */
function fromDeleteRepository(detail: CloudTrailDetail, account: string): RepositoryObservation {
  const { request, response } = parseCall(detail, addressSchema, deleteResponseSchema);
  const target = targetOf(detail, account, request, response?.repository);
  return {
    resource: repositoryRef(target.repositoryName, target.registryId, detail.awsRegion, target.repositoryArn),
    state: undefined,
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: true,
  };
}

/** Every repository-level ECR call Vigil reads, by event name. */
export function fromRepositoryCall(detail: CloudTrailDetail, account: string): RepositoryObservation[] {
  switch (detail.eventName) {
    case "CreateRepository":
      return [fromCreate(detail, account)];
    case "PutImageScanningConfiguration":
      return [fromPutScanning(detail, account)];
    case "PutImageTagMutability":
      return [fromPutMutability(detail, account)];
    case "SetRepositoryPolicy":
      return [fromSetPolicy(detail, account)];
    case "DeleteRepositoryPolicy":
      return [fromOneAspectCall(detail, account, { policy: { kind: "none" } }, true)];
    case "PutLifecyclePolicy":
      return [fromOneAspectCall(detail, account, { hasLifecyclePolicy: true }, true)];
    case "DeleteLifecyclePolicy":
      return [fromOneAspectCall(detail, account, { hasLifecyclePolicy: false }, false)];
    case "DeleteRepository":
      return [fromDeleteRepository(detail, account)];
    default:
      throw new UnusableEventError(`no ECR repository reader for ${detail.eventName}`);
  }
}
