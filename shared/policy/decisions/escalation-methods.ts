import type { ResourceType } from "../probes";
import {
  CLOUDFORMATION_STACK,
  DATA_PIPELINE,
  DYNAMODB_TABLE,
  EC2_INSTANCE,
  GLUE_DEV_ENDPOINT,
  IAM_GROUP,
  IAM_POLICY,
  IAM_ROLE,
  IAM_USER,
  LAMBDA_EVENT_SOURCE_MAPPING,
  LAMBDA_FUNCTION,
} from "../resource-types";

/**
 * IAM privilege-escalation methods: permission sets that let a principal gain permissions it was not given.
 *
 * Source: Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation" (Spencer Gietzen,
 * 2018), as encoded in the `escalation_methods` table of Rhino's Pacu tool
 * (RhinoSecurityLabs/pacu, modules/privesc_scan/main.py); only the permissions that table marks as required are
 * listed. Two changes, each noted on its entry: `iam:AttachRolePolicy` / `iam:PutRolePolicy` count alone
 * (a role that can change its own policies gains the permissions in its current session; Pacu, thinking of
 * users, also requires `sts:AssumeRole`), and `sts:AssumeRole` on every role is added (any role whose trust
 * policy names the account lets the account's identity policies decide who may assume it; IAM User Guide,
 * "How IAM roles differ from resource-based policies" / role trust policies).
 *
 * Each required action must be granted on EVERY resource of its type (in the policy's own account counts:
 * `arn:aws:iam::111122223333:role/*` is every role), so self-service statements such as
 * `iam:CreateAccessKey` on `arn:aws:iam::*:user/${aws:username}` are not reported.
 */
export interface EscalationMethod {
  /** Pacu's method name (or ours, for additions). */
  readonly id: string;
  readonly title: string;
  readonly requires: readonly { readonly action: string; readonly resource: ResourceType }[];
}

const method = (id: string, title: string, ...requires: [string, ResourceType][]): EscalationMethod => ({
  id,
  title,
  requires: requires.map(([action, resource]) => ({ action, resource })),
});

const PASS_ROLE: [string, ResourceType] = ["iam:PassRole", IAM_ROLE];

/** The curated list; see the module comment for the source. */
export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  method("CreateNewPolicyVersion", "create a new default version of a managed policy", [
    "iam:CreatePolicyVersion",
    IAM_POLICY,
  ]),
  method("SetExistingDefaultPolicyVersion", "make an older, broader policy version the default", [
    "iam:SetDefaultPolicyVersion",
    IAM_POLICY,
  ]),
  method("CreateEC2WithExistingIP", "launch an instance with a more privileged role", PASS_ROLE, [
    "ec2:RunInstances",
    EC2_INSTANCE,
  ]),
  method("CreateAccessKey", "create access keys for another user", ["iam:CreateAccessKey", IAM_USER]),
  method("CreateLoginProfile", "set a console password for another user", [
    "iam:CreateLoginProfile",
    IAM_USER,
  ]),
  method("UpdateLoginProfile", "change another user's console password", [
    "iam:UpdateLoginProfile",
    IAM_USER,
  ]),
  method("AttachUserPolicy", "attach any managed policy to a user", ["iam:AttachUserPolicy", IAM_USER]),
  method("AttachGroupPolicy", "attach any managed policy to a group", ["iam:AttachGroupPolicy", IAM_GROUP]),
  // Pacu also requires sts:AssumeRole; a role principal needs no more than this on its own role.
  method("AttachRolePolicy", "attach any managed policy to a role", ["iam:AttachRolePolicy", IAM_ROLE]),
  method("PutUserPolicy", "write an inline policy on a user", ["iam:PutUserPolicy", IAM_USER]),
  method("PutGroupPolicy", "write an inline policy on a group", ["iam:PutGroupPolicy", IAM_GROUP]),
  // Pacu also requires sts:AssumeRole; a role principal needs no more than this on its own role.
  method("PutRolePolicy", "write an inline policy on a role", ["iam:PutRolePolicy", IAM_ROLE]),
  method("AddUserToGroup", "add a user to a more privileged group", ["iam:AddUserToGroup", IAM_GROUP]),
  method(
    "UpdateRolePolicyToAssumeIt",
    "rewrite a role's trust policy, then assume the role",
    ["iam:UpdateAssumeRolePolicy", IAM_ROLE],
    ["sts:AssumeRole", IAM_ROLE],
  ),
  method(
    "PassExistingRoleToNewLambdaThenInvoke",
    "create and invoke a Lambda function running as a more privileged role",
    PASS_ROLE,
    ["lambda:CreateFunction", LAMBDA_FUNCTION],
    ["lambda:InvokeFunction", LAMBDA_FUNCTION],
  ),
  method(
    "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
    "create a Lambda function with a more privileged role, triggered from a new DynamoDB table",
    PASS_ROLE,
    ["lambda:CreateFunction", LAMBDA_FUNCTION],
    ["lambda:CreateEventSourceMapping", LAMBDA_EVENT_SOURCE_MAPPING],
    ["dynamodb:CreateTable", DYNAMODB_TABLE],
    ["dynamodb:PutItem", DYNAMODB_TABLE],
  ),
  method(
    "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
    "create a Lambda function with a more privileged role, triggered from an existing stream",
    PASS_ROLE,
    ["lambda:CreateFunction", LAMBDA_FUNCTION],
    ["lambda:CreateEventSourceMapping", LAMBDA_EVENT_SOURCE_MAPPING],
  ),
  method(
    "PassExistingRoleToNewGlueDevEndpoint",
    "create a Glue development endpoint with a more privileged role",
    PASS_ROLE,
    ["glue:CreateDevEndpoint", GLUE_DEV_ENDPOINT],
  ),
  method("UpdateExistingGlueDevEndpoint", "take over a Glue development endpoint's role", [
    "glue:UpdateDevEndpoint",
    GLUE_DEV_ENDPOINT,
  ]),
  method(
    "PassExistingRoleToCloudFormation",
    "create a CloudFormation stack that runs as a more privileged role",
    PASS_ROLE,
    ["cloudformation:CreateStack", CLOUDFORMATION_STACK],
  ),
  method(
    "PassExistingRoleToNewDataPipeline",
    "create a Data Pipeline that runs as a more privileged role",
    PASS_ROLE,
    ["datapipeline:CreatePipeline", DATA_PIPELINE],
  ),
  method("EditExistingLambdaFunctionWithRole", "replace the code of a Lambda function that has a role", [
    "lambda:UpdateFunctionCode",
    LAMBDA_FUNCTION,
  ]),
  // Addition (not in Pacu's table): assume any role that trusts the account.
  method("AssumeAnyRole", "assume any role whose trust policy trusts the account", [
    "sts:AssumeRole",
    IAM_ROLE,
  ]),
];
