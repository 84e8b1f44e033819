import type { CheckDefinition } from "../shared/checks/define";
import type { RemediationDefinition } from "../shared/remediations/define";

/**
 * IAM derived from the catalogs. Pure (no CDK): actions and resource ARNs as strings (CDK tokens
 * are fine inside them), so the rules below are unit-testable and every role is built from them.
 */

export interface ArnScope {
  partition: string;
  region: string;
  account: string;
}

export interface Grant {
  actions: string[];
  resources: string[];
  /** IAM condition block, e.g. `{ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }`. */
  conditions?: Record<string, Record<string, string | string[]>>;
}

type WriteScope = (scope: ArnScope) => Omit<Grant, "actions">;

const EXACT_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
/** Read-only by name: Describe*, Get*, List*, and the batch reads (ECR's BatchGetImage). */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Describe|Get|List|BatchGet)[A-Za-z0-9]*$/;

/** Read-only calls the checks' catalog does not list but the config-change function makes. */
export const CONFIG_CHANGE_READ_ACTIONS = ["config:GetResourceConfigHistory"];

/** What `shared/findings/dynamo-store.ts` calls: Get, BatchGet, conditional Put, Query (status index), Scan. */
export const FINDINGS_TABLE_ACTIONS = [
  "dynamodb:BatchGetItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:Scan",
];

/** Publishing to a topic encrypted with a customer key needs these on the key (no `GenerateDataKey*`). */
export const ENCRYPTED_TOPIC_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];

/**
 * Where each write action a remediation may ask for is allowed to act, and under which conditions.
 * A write action missing here fails synth, so nobody grants a write on `*` by adding a line to a
 * remediation.
 */
const WRITE_ACTION_SCOPES: Record<string, WriteScope> = {
  "ec2:RevokeSecurityGroupIngress": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ec2:${region}:${account}:security-group/*`],
  }),
  "ecr:PutImageScanningConfiguration": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ecr:${region}:${account}:repository/*`],
  }),
  "cloudtrail:StartLogging": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:cloudtrail:${region}:${account}:trail/*`],
  }),
  "cloudtrail:UpdateTrail": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:cloudtrail:${region}:${account}:trail/*`],
  }),
  "guardduty:UpdateDetector": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:guardduty:${region}:${account}:detector/*`],
  }),
  // CreateDetector has no resource type (the detector doesn't exist yet); the remediation only calls
  // it when the region has no detector left, so it can't make a second one.
  "guardduty:CreateDetector": () => ({ resources: ["*"] }),
  // The Service Authorization Reference names `task-definition*` as RegisterTaskDefinition's resource.
  "ecs:RegisterTaskDefinition": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ecs:${region}:${account}:task-definition/*`],
  }),
  // A hardened task-definition revision keeps the original's task and execution roles: passing
  // them is allowed to ECS tasks only.
  "iam:PassRole": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:role/*`],
    conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
  }),
  // Tags are copied onto the new revision, which is allowed only as part of registering it.
  "ecs:TagResource": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ecs:${region}:${account}:task-definition/*`],
    conditions: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
  }),
};

export function isReadOnlyAction(action: string): boolean {
  return READ_ONLY_ACTION.test(action);
}

function exactActions(actions: Iterable<string>, owner: string): string[] {
  const unique = [...new Set(actions)].sort();
  const wildcard = unique.find((action) => !EXACT_ACTION.test(action));
  if (wildcard)
    throw new Error(
      `${owner} asks for IAM action "${wildcard}"; only exact service:Action names are allowed`,
    );
  return unique;
}

/** The read-only actions the checks need; Describe/Get/List only, since they are granted on `*`. */
export function checkReadActions(checks: readonly CheckDefinition[]): string[] {
  const actions = exactActions(
    checks.flatMap((check) => check.iamActions),
    "the check catalog",
  );
  const write = actions.find((action) => !isReadOnlyAction(action));
  if (write)
    throw new Error(`check iamActions must be read-only (Describe/Get/List/BatchGet); "${write}" is not`);
  return actions;
}

/**
 * The remediation role's grants: its read actions on `*` (EC2 Describe* has no resource-level
 * permissions), each write action on the resources and conditions `WRITE_ACTION_SCOPES` names.
 */
export function remediationGrants(remediations: readonly RemediationDefinition[], scope: ArnScope): Grant[] {
  const actions = exactActions(
    remediations.flatMap((remediation) => remediation.iamActions),
    "the remediation catalog",
  );
  const reads = actions.filter(isReadOnlyAction);
  const writes = actions
    .filter((action) => !isReadOnlyAction(action))
    .map((action) => {
      const scoped = WRITE_ACTION_SCOPES[action];
      if (!scoped) {
        throw new Error(
          `remediation action "${action}" has no resource scope; add it to WRITE_ACTION_SCOPES in infra/permissions.ts`,
        );
      }
      return { actions: [action], ...scoped(scope) };
    });
  return [...(reads.length ? [{ actions: reads, resources: ["*"] }] : []), ...writes];
}
