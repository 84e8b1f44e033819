import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { partitionOf } from "../account/ref";
import { UnusableEventError, type Observation } from "../adapter";
import { readDocument } from "./document";
import { iamPolicyRef, parsePolicyArn, policyArnFor, type PolicyArn } from "./ref";
import type { IamPolicyState, PolicyChangeSource } from "./state";

type PolicyObservation = Observation<"AWS::IAM::Policy">;

const arnField = z.string().min(1);
/** CloudTrail logs booleans as booleans; tolerate the text form too. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

const createRequest = z.looseObject({
  policyName: z.string().min(1),
  path: z.string().optional(),
  policyDocument: z.string(),
});
/** `CreatePolicy`'s answer: the new policy (v1, attached to nothing yet). */
const createResponse = z.looseObject({
  policy: z.looseObject({
    arn: arnField,
    policyId: z.string().optional(),
    defaultVersionId: z.string().optional(),
    attachmentCount: z.number().optional(),
    permissionsBoundaryUsageCount: z.number().optional(),
  }),
});
const versionRequest = z.looseObject({
  policyArn: arnField,
  policyDocument: z.string(),
  setAsDefault: flag.optional(),
});
const versionResponse = z.looseObject({
  policyVersion: z.looseObject({ versionId: z.string().min(1), isDefaultVersion: flag.optional() }),
});
const setDefaultRequest = z.looseObject({ policyArn: arnField, versionId: z.string().min(1) });
const deleteRequest = z.looseObject({ policyArn: arnField });

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function policyOf(arn: string): PolicyArn {
  const policy = parsePolicyArn(arn);
  if (!policy) throw new UnusableEventError(`"${arn}" is not a managed policy ARN`);
  return policy;
}

function observe(
  detail: CloudTrailDetail,
  policy: PolicyArn,
  source: PolicyChangeSource,
  parts: Omit<IamPolicyState, "policyArn" | "policyName" | "change" | "documentSource"> & {
    documentSource?: string;
    versionId?: string;
  },
  needsRefresh: boolean,
): PolicyObservation {
  const { versionId, documentSource, ...rest } = parts;
  return {
    resource: iamPolicyRef(policy),
    state: {
      policyArn: policy.arn,
      policyName: policy.name,
      documentSource: documentSource ?? `${source} request`,
      ...rest,
      change: { source, ...(versionId ? { versionId } : {}), at: detail.eventTime },
    },
    // The default version's document is the whole of what the policy grants.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
    ...(needsRefresh ? { needsRefresh: true } : {}),
  };
}

/** `CreatePolicy`: v1 is the default and the policy is attached to nothing yet; the request holds the document. */
function fromCreatePolicy(detail: CloudTrailDetail, account: string): PolicyObservation[] {
  const request = parse(createRequest, detail.requestParameters, "CreatePolicy requestParameters");
  const response = createResponse.safeParse(detail.responseElements);
  const arn = response.success
    ? response.data.policy.arn
    : policyArnFor(partitionOf(detail.awsRegion), account, request.path, request.policyName);
  const created = response.success ? response.data.policy : undefined;
  const read = readDocument(request.policyDocument, "CreatePolicy policyDocument");
  return [
    observe(
      detail,
      policyOf(arn),
      "CreatePolicy",
      {
        ...read,
        ...(created?.policyId ? { policyId: created.policyId } : {}),
        defaultVersionId: created?.defaultVersionId ?? "v1",
        versionId: created?.defaultVersionId ?? "v1",
        attachmentCount: created?.attachmentCount ?? 0,
        permissionsBoundaryUsageCount: created?.permissionsBoundaryUsageCount ?? 0,
      },
      // Only an unreadable request document sends Vigil to read the version itself.
      "documentProblem" in read,
    ),
  ];
}

/**
 * `CreatePolicyVersion`: only with `setAsDefault` does the new document take effect; otherwise what the
 * policy grants did not change and there is nothing to judge. The refresh reads the usage counts (a policy
 * used only as a permissions boundary grants nothing) and confirms the version is still the default.
 */
function fromCreatePolicyVersion(detail: CloudTrailDetail): PolicyObservation[] {
  const request = parse(versionRequest, detail.requestParameters, "CreatePolicyVersion requestParameters");
  if (request.setAsDefault !== true) return [];
  const policy = policyOf(request.policyArn);
  if (policy.awsManaged) return [];
  const response = versionResponse.safeParse(detail.responseElements);
  const versionId = response.success ? response.data.policyVersion.versionId : undefined;
  const read = readDocument(request.policyDocument, "CreatePolicyVersion policyDocument");
  return [
    observe(
      detail,
      policy,
      "CreatePolicyVersion",
      { ...read, ...(versionId ? { defaultVersionId: versionId, versionId } : {}) },
      true,
    ),
  ];
}

/** `SetDefaultPolicyVersion` names the version only: its document (and the usage counts) are read live. */
function fromSetDefault(detail: CloudTrailDetail): PolicyObservation[] {
  const request = parse(
    setDefaultRequest,
    detail.requestParameters,
    "SetDefaultPolicyVersion requestParameters",
  );
  const policy = policyOf(request.policyArn);
  if (policy.awsManaged) return [];
  return [
    observe(
      detail,
      policy,
      "SetDefaultPolicyVersion",
      {
        defaultVersionId: request.versionId,
        versionId: request.versionId,
        documentSource: "not read yet",
        documentProblem: `${request.versionId}'s document is not in the event and was not read`,
      },
      true,
    ),
  ];
}

/** `DeletePolicy`: the policy and every version are gone, which resolves its findings. */
function fromDeletePolicy(detail: CloudTrailDetail): PolicyObservation[] {
  const request = parse(deleteRequest, detail.requestParameters, "DeletePolicy requestParameters");
  const policy = policyOf(request.policyArn);
  if (policy.awsManaged) return [];
  return [
    {
      resource: iamPolicyRef(policy),
      state: undefined,
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: false,
    },
  ];
}

export function fromPolicyEvent(detail: CloudTrailDetail, account: string): PolicyObservation[] {
  switch (detail.eventName) {
    case "CreatePolicy":
      return fromCreatePolicy(detail, account);
    case "CreatePolicyVersion":
      return fromCreatePolicyVersion(detail);
    case "SetDefaultPolicyVersion":
      return fromSetDefault(detail);
    case "DeletePolicy":
      return fromDeletePolicy(detail);
    default:
      throw new UnusableEventError(`no IAM policy reader for ${detail.eventName}`);
  }
}
