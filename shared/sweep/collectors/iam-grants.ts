import type { IAMClient } from "@aws-sdk/client-iam";
import { loadIam } from "../../aws/sdk";
import type { VigilConfig } from "../../config/schema";
import { adminPatternFor, isAwsManaged } from "../../resources/iam-identity/judge";
import { IDENTITY, type IdentityKind } from "../../resources/iam-identity/kinds";
import { defaultVersionOf } from "../../resources/iam-identity/live";
import type { AttachedPolicy, IdentityGrants, InlinePolicy } from "../../resources/iam-identity/state";
import { isNoSuchEntity } from "../../resources/iam-user/live";

/** ListUserPolicies & co. take up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/** The read-only actions `readGrants` makes for one kind (as the adapters' refresh does). */
export function grantsReadActions(kind: IdentityKind): string[] {
  const { noun } = IDENTITY[kind];
  return [
    `iam:List${noun}Policies`,
    `iam:Get${noun}Policy`,
    `iam:ListAttached${noun}Policies`,
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
  ];
}

type DefaultVersion = { versionId: string; document: string } | undefined;

/**
 * Reads customer managed policies' default versions once per sweep unit: many identities share the
 * same few policies, and each read is two calls.
 */
export class DefaultVersions {
  private readonly cache = new Map<string, Promise<DefaultVersion>>();
  constructor(private readonly iam: IAMClient) {}

  of(policyArn: string): Promise<DefaultVersion> {
    let read = this.cache.get(policyArn);
    if (!read) {
      read = defaultVersionOf(this.iam, policyArn);
      this.cache.set(policyArn, read);
    }
    return read;
  }
}

/** Runs a listing; undefined when the identity was deleted meanwhile (NoSuchEntity). */
async function unlessGone<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

async function inlineNames(kind: IdentityKind, iam: IAMClient, name: string): Promise<string[]> {
  const m = await loadIam();
  const config = { client: iam };
  const names: string[] = [];
  const pages =
    kind === "user"
      ? m.paginateListUserPolicies(config, { UserName: name, MaxItems: PAGE_SIZE })
      : kind === "role"
        ? m.paginateListRolePolicies(config, { RoleName: name, MaxItems: PAGE_SIZE })
        : m.paginateListGroupPolicies(config, { GroupName: name, MaxItems: PAGE_SIZE });
  for await (const page of pages) names.push(...(page.PolicyNames ?? []));
  return names;
}

async function inlineDocument(
  kind: IdentityKind,
  iam: IAMClient,
  name: string,
  policyName: string,
): Promise<string | undefined> {
  const m = await loadIam();
  return unlessGone(async () => {
    const out =
      kind === "user"
        ? await iam.send(new m.GetUserPolicyCommand({ UserName: name, PolicyName: policyName }))
        : kind === "role"
          ? await iam.send(new m.GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }))
          : await iam.send(new m.GetGroupPolicyCommand({ GroupName: name, PolicyName: policyName }));
    return out.PolicyDocument ?? "";
  });
}

async function attachedRefs(
  kind: IdentityKind,
  iam: IAMClient,
  name: string,
): Promise<{ arn: string; name: string }[]> {
  const m = await loadIam();
  const config = { client: iam };
  const refs: { arn: string; name: string }[] = [];
  const pages =
    kind === "user"
      ? m.paginateListAttachedUserPolicies(config, { UserName: name, MaxItems: PAGE_SIZE })
      : kind === "role"
        ? m.paginateListAttachedRolePolicies(config, { RoleName: name, MaxItems: PAGE_SIZE })
        : m.paginateListAttachedGroupPolicies(config, { GroupName: name, MaxItems: PAGE_SIZE });
  for await (const page of pages)
    for (const p of page.AttachedPolicies ?? [])
      if (p.PolicyArn) refs.push({ arn: p.PolicyArn, name: p.PolicyName ?? p.PolicyArn });
  return refs;
}

/**
 * All of an identity's policies, as the event path's refresh completes them: every inline policy
 * with its document, every attached policy, and each customer managed one's default version (AWS
 * managed ones and those the configured admin patterns match are judged by ARN). Both parts are
 * whole (`complete: true`). Undefined when the identity was deleted while being read.
 */
export async function readGrants(
  kind: IdentityKind,
  iam: IAMClient,
  name: string,
  versions: DefaultVersions,
  config: VigilConfig,
): Promise<IdentityGrants | undefined> {
  const { noun } = IDENTITY[kind];
  const names = await unlessGone(() => inlineNames(kind, iam, name));
  if (!names) return undefined;
  const inline: InlinePolicy[] = [];
  for (const policyName of names) {
    const document = await inlineDocument(kind, iam, name, policyName);
    // Deleted between the list and the read: not the identity's any more.
    if (document !== undefined) inline.push({ name: policyName, document, source: `Get${noun}Policy` });
  }
  const refs = await unlessGone(() => attachedRefs(kind, iam, name));
  if (!refs) return undefined;
  const source = `ListAttached${noun}Policies`;
  const attached: AttachedPolicy[] = [];
  for (const ref of refs) {
    if (isAwsManaged(ref.arn) || adminPatternFor(ref.arn, config.iam.adminManagedPolicies)) {
      attached.push({ ...ref, source });
      continue;
    }
    // A policy deleted meanwhile stays without its version: the checks call it unread (undecided).
    const defaultVersion = await versions.of(ref.arn);
    attached.push(defaultVersion ? { ...ref, source, defaultVersion } : { ...ref, source });
  }
  return { inline: { complete: true, policies: inline }, attached: { complete: true, policies: attached } };
}

/** Users' and roles' tags (ListUserTags / ListRoleTags, one page: at most 50); undefined when gone. */
export async function identityTags(
  kind: "user" | "role",
  iam: IAMClient,
  name: string,
): Promise<Record<string, string> | undefined> {
  const m = await loadIam();
  const out = await unlessGone(() =>
    kind === "user"
      ? iam.send(new m.ListUserTagsCommand({ UserName: name }))
      : iam.send(new m.ListRoleTagsCommand({ RoleName: name })),
  );
  return out && Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
}
