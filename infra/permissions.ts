import type { CheckDefinition } from "../shared/checks/define";
import type { RemediationDefinition } from "../shared/remediations/define";
import { namesOrganizationalUnits, type AccountSelector } from "../shared/config/accounts";

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
/** Read-only by name: Describe*, Get*, List*, the batch reads (ECR's BatchGetImage), CloudTrail's LookupEvents. */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Describe|Get|List|BatchGet|Lookup)[A-Za-z0-9]*$/;

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
  // EC2.2: only ever a VPC's default group (the remediation checks the name); `security-group*` as for ingress.
  "ec2:RevokeSecurityGroupEgress": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ec2:${region}:${account}:security-group/*`],
  }),
  // Network ACL entries have no ARN of their own: both act on the `network-acl*` resource.
  "ec2:DeleteNetworkAclEntry": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ec2:${region}:${account}:network-acl/*`],
  }),
  "ec2:CreateNetworkAclEntry": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ec2:${region}:${account}:network-acl/*`],
  }),
  // The Service Authorization Reference names `instance*` as its only resource.
  "ec2:ModifyInstanceMetadataOptions": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:ec2:${region}:${account}:instance/*`],
  }),
  // GuardDuty quarantine: the Service Authorization Reference names `instance*` and, for `Groups`,
  // `security-group` (the quarantine group attached) as ModifyInstanceAttribute's resources.
  "ec2:ModifyInstanceAttribute": ({ partition, region, account }) => ({
    resources: [
      `arn:${partition}:ec2:${region}:${account}:instance/*`,
      `arn:${partition}:ec2:${region}:${account}:security-group/*`,
    ],
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
  // The Service Authorization Reference names `cluster*` as UpdateClusterConfig's only resource.
  "eks:UpdateClusterConfig": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:eks:${region}:${account}:cluster/*`],
  }),
  // CreateDetector has no resource type (the detector doesn't exist yet); the remediation only calls
  // it when the region has no detector left, so it can't make a second one.
  "guardduty:CreateDetector": () => ({ resources: ["*"] }),
  // The Service Authorization Reference names `key*` as the resource of these key-level calls.
  "kms:CancelKeyDeletion": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:kms:${region}:${account}:key/*`],
  }),
  "kms:EnableKey": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:kms:${region}:${account}:key/*`],
  }),
  "kms:EnableKeyRotation": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:kms:${region}:${account}:key/*`],
  }),
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
  // EBS encryption by default is an account-and-Region setting: the Service Authorization Reference
  // names no resource type for EnableEbsEncryptionByDefault, so it can only be granted on `*`.
  "ec2:EnableEbsEncryptionByDefault": () => ({ resources: ["*"] }),
  // The account-level Block Public Access configuration (S3 Control PutPublicAccessBlock) has no
  // resource type in the Service Authorization Reference: `*` is the only grant that works.
  "s3:PutAccountPublicAccessBlock": () => ({ resources: ["*"] }),
  // Bucket-level writes act on resource type `bucket*` (Service Authorization Reference). Bucket ARNs
  // name no Region or account (bucket names are global), so `arn:<partition>:s3:::*` is the narrowest
  // pattern; the remediations pass ExpectedBucketOwner so a bucket of another account is refused.
  "s3:PutEncryptionConfiguration": ({ partition }) => ({ resources: [`arn:${partition}:s3:::*`] }),
  "s3:PutBucketPublicAccessBlock": ({ partition }) => ({ resources: [`arn:${partition}:s3:::*`] }),
  "s3:PutBucketPolicy": ({ partition }) => ({ resources: [`arn:${partition}:s3:::*`] }),
  // Only `vigil undo` (operator credentials) deletes a policy Vigil created; scoped like the others.
  "s3:DeleteBucketPolicy": ({ partition }) => ({ resources: [`arn:${partition}:s3:::*`] }),
  // Required resource type ConfigurationRecorder: `configuration-recorder/<name>/<id>`; the id is
  // not in the event, so any recorder of this account and Region.
  "config:StartConfigurationRecorder": ({ partition, region, account }) => ({
    resources: [`arn:${partition}:config:${region}:${account}:configuration-recorder/*`],
  }),
  // The account password policy is no resource: the Service Authorization Reference names no resource
  // type for iam:UpdateAccountPasswordPolicy, so `*` is the only grant that works.
  "iam:UpdateAccountPasswordPolicy": () => ({ resources: ["*"] }),
  // Resource type `user*`; the user's path is not in the credential report's evidence, so any path.
  "iam:UpdateAccessKey": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:user/*`],
  }),
  // Resource type `policy*` (`policy/${PolicyNameWithPath}`): this account's customer managed policies,
  // any path. AWS managed policies (`iam::aws:policy/…`) are outside the pattern.
  "iam:SetDefaultPolicyVersion": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:policy/*`],
  }),
  // Inline and attached admin policies: the Service Authorization Reference names the identity (`user*`,
  // `role*`, `group*`) as these calls' resource. CloudTrail names identities without their path, so any path
  // in this account. Detach's `iam:PolicyARN` condition can't narrow it: the admin policy may be any ARN.
  "iam:DetachUserPolicy": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:user/*`],
  }),
  "iam:DeleteUserPolicy": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:user/*`],
  }),
  "iam:DetachRolePolicy": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:role/*`],
  }),
  "iam:DeleteRolePolicy": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:role/*`],
  }),
  "iam:DetachGroupPolicy": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:group/*`],
  }),
  "iam:DeleteGroupPolicy": ({ partition, account }) => ({
    resources: [`arn:${partition}:iam::${account}:group/*`],
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
 * Collector actions whose names don't say read but that change no resource: the Service Authorization
 * Reference lists iam:GenerateCredentialReport at access level Read (it only (re)builds the account's
 * credential report, which GetCredentialReport then reads) and with no resource type.
 */
const READ_LEVEL_COLLECTOR_ACTIONS: ReadonlySet<string> = new Set(["iam:GenerateCredentialReport"]);

/**
 * The read-only actions the sweep's collectors make (`iamActions` of each): granted on `*` to the
 * sweep worker like the checks' reads, so the same rule holds: exact names, Describe/Get/List only.
 */
export function collectorReadActions(
  collectors: readonly { resourceType: string; iamActions: readonly string[] }[],
): string[] {
  const actions = exactActions(
    collectors.flatMap((collector) => collector.iamActions),
    "the sweep's collectors",
  );
  const write = actions.find(
    (action) => !isReadOnlyAction(action) && !READ_LEVEL_COLLECTOR_ACTIONS.has(action),
  );
  if (write)
    throw new Error(`collector iamActions must be read-only (Describe/Get/List/BatchGet); "${write}" is not`);
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

/**
 * The sweep worker's Security Hub export (config `securityHub.export`): writes to Security Hub,
 * not to the customer's resources, so they are no remediation and never on the remediation role.
 * Service Authorization Reference: BatchImportFindings acts on the `product` resource (the
 * account's own default product, `product/<account>/default`, the only one it may import into);
 * BatchUpdateFindings on the `hub` resource (`hub/default`). One pair per swept Region.
 */
export function securityHubExportGrants(
  scope: Omit<ArnScope, "region">,
  regions: readonly string[],
): Grant[] {
  const arn = (region: string, resource: string) =>
    `arn:${scope.partition}:securityhub:${region}:${scope.account}:${resource}`;
  return [
    {
      actions: ["securityhub:BatchImportFindings"],
      resources: regions.map((region) => arn(region, `product/${scope.account}/default`)),
    },
    {
      actions: ["securityhub:BatchUpdateFindings"],
      resources: regions.map((region) => arn(region, "hub/default")),
    },
  ];
}

/**
 * `remediationGrants` over several Regions (multi-region and organisation mode: a forwarded event is
 * remediated in its own Region): each write action on its scope in every Region, one ARN per Region
 * (never a `*` Region); global resources (IAM, S3) once. Grants with the same resources and conditions
 * are merged into one statement, which keeps the policy (and the member template) small.
 */
export function remediationGrantsInRegions(
  remediations: readonly RemediationDefinition[],
  scope: Omit<ArnScope, "region">,
  regions: readonly string[],
): Grant[] {
  if (!regions.length) throw new Error("remediation grants need at least one Region");
  const byAction = new Map<string, Grant>();
  for (const region of regions) {
    for (const grant of remediationGrants(remediations, { ...scope, region })) {
      for (const action of grant.actions) {
        const known = byAction.get(action);
        if (!known) {
          byAction.set(action, { ...grant, actions: [action], resources: [...grant.resources] });
          continue;
        }
        for (const resource of grant.resources)
          if (!known.resources.includes(resource)) known.resources.push(resource);
      }
    }
  }
  const merged = new Map<string, Grant>();
  for (const grant of byAction.values()) {
    const key = JSON.stringify([grant.resources, grant.conditions ?? null]);
    const same = merged.get(key);
    if (same) same.actions.push(...grant.actions);
    else merged.set(key, { ...grant, actions: [...grant.actions] });
  }
  return [...merged.values()];
}

/**
 * The sweep planner's Organizations reads (shared/sweep/accounts.ts), only in organisation mode and
 * only those its configured parents need: a root id lists the whole organisation with ListAccounts
 * (no resource-level permissions: `*`); OUs are walked with ListAccountsForParent and
 * ListOrganizationalUnitsForParent, scoped to the organisation's OUs
 * (`arn:<partition>:organizations::<management account>:ou/<org id>/<ou id>`; the management
 * account is not known here, and nested OUs are not listed in the config).
 */
export function sweepPlannerOrganizationsGrants(
  organization: {
    enabled: boolean;
    organizationId?: string | undefined;
    organizationalUnits: readonly string[];
  },
  partition: string,
): Grant[] {
  if (!organization.enabled || !organization.organizationId) return [];
  const grants: Grant[] = [];
  if (organization.organizationalUnits.some((id) => id.startsWith("r-")))
    grants.push({ actions: ["organizations:ListAccounts"], resources: ["*"] });
  else if (organization.organizationalUnits.length)
    grants.push({
      actions: ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"],
      resources: [`arn:${partition}:organizations::*:ou/${organization.organizationId}/ou-*`],
    });
  return grants;
}

/**
 * Per-OU modes and exemptions (`accounts[].organizationalUnits`, `exemptions[].organizationalUnits`):
 * the pipeline walks Organizations ListParents from a finding's account up to the root
 * (shared/aws/organization-units.ts). Granted to the functions that run the pipeline only when the
 * configuration names an OU. ListParents has no resource-level permissions (its child may be any
 * account or OU of the organisation), so it goes with the other reads on `*`.
 */
export function organizationUnitsReadActions(config: {
  accounts: readonly AccountSelector[];
  exemptions: readonly AccountSelector[];
}): string[] {
  return namesOrganizationalUnits(config) ? ["organizations:ListParents"] : [];
}
