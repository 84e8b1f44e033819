import type { IAMClient } from "@aws-sdk/client-iam";
import { loadIam } from "../../aws/sdk";
import { isNoSuchEntity } from "../iam-user/live";
import type { IdentityKind } from "./kinds";

/** An attached managed policy as IAM lists it. */
export interface AttachedRef {
  arn: string;
  name: string;
}

/**
 * IAM's per-kind calls (ListUserPolicies / ListRolePolicies / ListGroupPolicies, …) behind one
 * interface. "Gone" answers (NoSuchEntity) come back as undefined or false, never as errors; anything
 * else (throttling, access denied) is thrown for the caller to report.
 */
export interface IdentityIam {
  /** Inline policy names; undefined when the identity doesn't exist. */
  listInline(name: string): Promise<string[] | undefined>;
  /** An inline policy's document, URL-encoded as IAM returns it; undefined when it (or the identity) is gone. */
  getInline(name: string, policyName: string): Promise<string | undefined>;
  /** Attached managed policies; undefined when the identity doesn't exist. */
  listAttached(name: string): Promise<AttachedRef[] | undefined>;
  putInline(name: string, policyName: string, document: string): Promise<void>;
  /** False when the policy (or the identity) was already gone. */
  deleteInline(name: string, policyName: string): Promise<boolean>;
  attach(name: string, policyArn: string): Promise<void>;
  /** False when the policy was not attached (or the identity is gone). */
  detach(name: string, policyArn: string): Promise<boolean>;
  /** The identity's tags; {} when it is gone, and always for groups (they carry none). */
  tags(name: string): Promise<Record<string, string>>;
  /** Adds or overwrites these tags (users and roles; groups can't be tagged). */
  tag(name: string, tags: Record<string, string>): Promise<void>;
}

interface Page<T> {
  items: T[];
  IsTruncated?: boolean;
  Marker?: string;
}

/** Every page of a Marker-paginated IAM list; undefined when the identity is gone. */
async function allPages<T>(read: (marker?: string) => Promise<Page<T>>): Promise<T[] | undefined> {
  const items: T[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await read(marker);
      items.push(...page.items);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
  return items;
}

/** Runs a call that answers NoSuchEntity when its target is gone: true if done, false if gone. */
async function unlessGone(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isNoSuchEntity(error)) return false;
    throw error;
  }
}

async function orUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

const attachedRefs = (list: { PolicyArn?: string; PolicyName?: string }[] | undefined): AttachedRef[] =>
  (list ?? []).flatMap((p) => (p.PolicyArn ? [{ arn: p.PolicyArn, name: p.PolicyName ?? p.PolicyArn }] : []));

const tagMap = (tags: { Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

type Iam = Awaited<ReturnType<typeof loadIam>>;

function userCalls(iam: IAMClient, m: Iam): IdentityIam {
  return {
    listInline: (UserName) =>
      allPages(async (Marker) => {
        const out = await iam.send(new m.ListUserPoliciesCommand({ UserName, Marker }));
        return { ...out, items: out.PolicyNames ?? [] };
      }),
    getInline: (UserName, PolicyName) =>
      orUndefined(
        async () =>
          (await iam.send(new m.GetUserPolicyCommand({ UserName, PolicyName }))).PolicyDocument ?? "",
      ),
    listAttached: (UserName) =>
      allPages(async (Marker) => {
        const out = await iam.send(new m.ListAttachedUserPoliciesCommand({ UserName, Marker }));
        return { ...out, items: attachedRefs(out.AttachedPolicies) };
      }),
    putInline: async (UserName, PolicyName, PolicyDocument) => {
      await iam.send(new m.PutUserPolicyCommand({ UserName, PolicyName, PolicyDocument }));
    },
    deleteInline: (UserName, PolicyName) =>
      unlessGone(() => iam.send(new m.DeleteUserPolicyCommand({ UserName, PolicyName }))),
    attach: async (UserName, PolicyArn) => {
      await iam.send(new m.AttachUserPolicyCommand({ UserName, PolicyArn }));
    },
    detach: (UserName, PolicyArn) =>
      unlessGone(() => iam.send(new m.DetachUserPolicyCommand({ UserName, PolicyArn }))),
    tags: async (UserName) =>
      tagMap((await orUndefined(() => iam.send(new m.ListUserTagsCommand({ UserName }))))?.Tags),
    tag: async (UserName, tags) => {
      await iam.send(new m.TagUserCommand({ UserName, Tags: tagList(tags) }));
    },
  };
}

function roleCalls(iam: IAMClient, m: Iam): IdentityIam {
  return {
    listInline: (RoleName) =>
      allPages(async (Marker) => {
        const out = await iam.send(new m.ListRolePoliciesCommand({ RoleName, Marker }));
        return { ...out, items: out.PolicyNames ?? [] };
      }),
    getInline: (RoleName, PolicyName) =>
      orUndefined(
        async () =>
          (await iam.send(new m.GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument ?? "",
      ),
    listAttached: (RoleName) =>
      allPages(async (Marker) => {
        const out = await iam.send(new m.ListAttachedRolePoliciesCommand({ RoleName, Marker }));
        return { ...out, items: attachedRefs(out.AttachedPolicies) };
      }),
    putInline: async (RoleName, PolicyName, PolicyDocument) => {
      await iam.send(new m.PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument }));
    },
    deleteInline: (RoleName, PolicyName) =>
      unlessGone(() => iam.send(new m.DeleteRolePolicyCommand({ RoleName, PolicyName }))),
    attach: async (RoleName, PolicyArn) => {
      await iam.send(new m.AttachRolePolicyCommand({ RoleName, PolicyArn }));
    },
    detach: (RoleName, PolicyArn) =>
      unlessGone(() => iam.send(new m.DetachRolePolicyCommand({ RoleName, PolicyArn }))),
    tags: async (RoleName) =>
      tagMap((await orUndefined(() => iam.send(new m.ListRoleTagsCommand({ RoleName }))))?.Tags),
    tag: async (RoleName, tags) => {
      await iam.send(new m.TagRoleCommand({ RoleName, Tags: tagList(tags) }));
    },
  };
}

function groupCalls(iam: IAMClient, m: Iam): IdentityIam {
  return {
    listInline: (GroupName) =>
      allPages(async (Marker) => {
        const out = await iam.send(new m.ListGroupPoliciesCommand({ GroupName, Marker }));
        return { ...out, items: out.PolicyNames ?? [] };
      }),
    getInline: (GroupName, PolicyName) =>
      orUndefined(
        async () =>
          (await iam.send(new m.GetGroupPolicyCommand({ GroupName, PolicyName }))).PolicyDocument ?? "",
      ),
    listAttached: (GroupName) =>
      allPages(async (Marker) => {
        const out = await iam.send(new m.ListAttachedGroupPoliciesCommand({ GroupName, Marker }));
        return { ...out, items: attachedRefs(out.AttachedPolicies) };
      }),
    putInline: async (GroupName, PolicyName, PolicyDocument) => {
      await iam.send(new m.PutGroupPolicyCommand({ GroupName, PolicyName, PolicyDocument }));
    },
    deleteInline: (GroupName, PolicyName) =>
      unlessGone(() => iam.send(new m.DeleteGroupPolicyCommand({ GroupName, PolicyName }))),
    attach: async (GroupName, PolicyArn) => {
      await iam.send(new m.AttachGroupPolicyCommand({ GroupName, PolicyArn }));
    },
    detach: (GroupName, PolicyArn) =>
      unlessGone(() => iam.send(new m.DetachGroupPolicyCommand({ GroupName, PolicyArn }))),
    // IAM groups carry no tags.
    tags: async () => ({}),
    tag: async (GroupName) => {
      throw new Error(`IAM groups can't be tagged (group ${GroupName})`);
    },
  };
}

/** IAM's calls for one kind of identity. */
export async function identityIam(kind: IdentityKind, iam: IAMClient): Promise<IdentityIam> {
  const m = await loadIam();
  if (kind === "user") return userCalls(iam, m);
  if (kind === "role") return roleCalls(iam, m);
  return groupCalls(iam, m);
}

/**
 * A managed policy's default version (GetPolicy, then GetPolicyVersion), its document URL-encoded as
 * IAM returns it; undefined when the policy is gone.
 */
export async function defaultVersionOf(
  iam: IAMClient,
  policyArn: string,
): Promise<{ versionId: string; document: string } | undefined> {
  const { GetPolicyCommand, GetPolicyVersionCommand } = await loadIam();
  return orUndefined(async () => {
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const versionId = policy.Policy?.DefaultVersionId;
    if (!versionId) return undefined;
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }),
    );
    const document = version.PolicyVersion?.Document;
    return document ? { versionId, document } : undefined;
  });
}

/** A managed policy's default version id (GetPolicy alone); undefined when the policy is gone. */
export async function defaultVersionIdOf(iam: IAMClient, policyArn: string): Promise<string | undefined> {
  const { GetPolicyCommand } = await loadIam();
  return orUndefined(
    async () => (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy?.DefaultVersionId,
  );
}
