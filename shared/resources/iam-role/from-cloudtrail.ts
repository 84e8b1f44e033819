import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { partitionOf } from "../account/ref";
import { UnusableEventError, type Observation } from "../adapter";
import { grantsChangeOf } from "../iam-identity/from-cloudtrail";
import { grantsComplete } from "../iam-identity/observe";
import { iamRoleRef } from "./ref";

type RoleObservation = Observation<"AWS::IAM::Role">;

const tagsSchema = z.array(z.looseObject({ key: z.string(), value: z.string().nullable().optional() }));

const createRoleSchema = z.looseObject({
  roleName: z.string().min(1),
  assumeRolePolicyDocument: z.string().min(1),
  path: z.string().min(1).optional(),
  tags: tagsSchema.nullable().optional(),
});
/** CreateRole's answer: the role with its real ARN (path included). */
const createResponseSchema = z
  .looseObject({ role: z.looseObject({ arn: z.string().min(1).optional() }).optional() })
  .nullable()
  .optional();
const updateTrustSchema = z.looseObject({ roleName: z.string().min(1), policyDocument: z.string().min(1) });

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UnusableEventError(`${what}: ${z.prettifyError(result.error).replace(/\n/g, "; ")}`);
  return result.data;
}

/**
 * `CreateRole`: the whole new role. Its trust policy is in the request (JSON text); a new role has no
 * policies yet (they come with later Put/AttachRolePolicy calls), and its tags are the request's.
 */
function fromCreateRole(detail: CloudTrailDetail, account: string): RoleObservation[] {
  const request = parse(createRoleSchema, detail.requestParameters, "CreateRole requestParameters");
  const response = createResponseSchema.safeParse(detail.responseElements);
  const arn = response.success ? response.data?.role?.arn : undefined;
  const resource = iamRoleRef(request.roleName, account, partitionOf(detail.awsRegion), arn);
  const tags = Object.fromEntries((request.tags ?? []).map((t) => [t.key, t.value ?? ""]));
  return [
    {
      resource,
      state: {
        roleName: request.roleName,
        roleArn: resource.arn,
        ...(request.path ? { path: request.path } : {}),
        trust: { document: request.assumeRolePolicyDocument, source: "CreateRole" },
        grants: {
          inline: { complete: true, policies: [] },
          attached: { complete: true, policies: [] },
        },
        tags,
      },
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: true,
    },
  ];
}

/** `UpdateAssumeRolePolicy`: the request is the whole new trust policy; nothing else about the role. */
function fromUpdateTrust(detail: CloudTrailDetail, account: string): RoleObservation[] {
  const request = parse(
    updateTrustSchema,
    detail.requestParameters,
    "UpdateAssumeRolePolicy requestParameters",
  );
  const resource = iamRoleRef(request.roleName, account, partitionOf(detail.awsRegion));
  return [
    {
      resource,
      state: {
        roleName: request.roleName,
        roleArn: resource.arn,
        trust: { document: request.policyDocument, source: "UpdateAssumeRolePolicy" },
      },
      // Whole for the trust policy; the policy checks stay undecided (they see no grants).
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: false,
    },
  ];
}

export function fromRoleEvent(detail: CloudTrailDetail, account: string): RoleObservation[] {
  if (detail.eventName === "CreateRole") return fromCreateRole(detail, account);
  if (detail.eventName === "UpdateAssumeRolePolicy") return fromUpdateTrust(detail, account);
  const change = grantsChangeOf("role", detail, account);
  if (!change) throw new UnusableEventError(`no IAM role reader for ${detail.eventName}`);
  const resource = iamRoleRef(change.name, account, partitionOf(detail.awsRegion));
  if (change.deleted)
    return [{ resource, state: undefined, complete: true, observedAt: detail.eventTime, tagsKnown: false }];
  return [
    {
      resource,
      state: { roleName: change.name, roleArn: resource.arn, grants: change.grants },
      complete: grantsComplete(change.grants),
      observedAt: detail.eventTime,
      tagsKnown: false,
      ...(change.needsRefresh ? { needsRefresh: true } : {}),
    },
  ];
}
