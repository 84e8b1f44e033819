import type { IAMClient } from "@aws-sdk/client-iam";
import { adminPatternFor, isAwsManaged, readDocument } from "./judge";
import { IDENTITY, type IdentityKind } from "./kinds";
import { defaultVersionOf, identityIam, type IdentityIam } from "./live";
import type { AttachedPolicy, IdentityGrants, InlinePolicy, PolicySet } from "./state";

export interface RefreshOptions {
  /** Config `iam.adminManagedPolicies`: attached policies these match are admin without their document. */
  adminPatterns: readonly string[];
  /**
   * Also list the names of the part the call did not touch (users: IAM.2 resolves only when the user has
   * neither inline nor attached policies left).
   */
  namesOfOtherPart: boolean;
}

/**
 * The call's view of an identity's policies completed with a live read: what the call set stands (a
 * read right after it may not show it yet), what it removed stays removed, the rest is as IAM lists it.
 * Undefined when the identity no longer exists.
 */
export async function refreshGrants(
  kind: IdentityKind,
  name: string,
  grants: IdentityGrants,
  client: IAMClient,
  options: RefreshOptions,
): Promise<IdentityGrants | undefined> {
  const iam = await identityIam(kind, client);
  const result: IdentityGrants = { ...grants };
  if (grants.inline && !grants.inline.complete) {
    const inline = await readInline(kind, iam, name, grants.inline);
    if (!inline) return undefined;
    result.inline = inline;
  } else if (!grants.inline && options.namesOfOtherPart) {
    const names = await iam.listInline(name);
    if (!names) return undefined;
    const source = `List${IDENTITY[kind].noun}Policies`;
    result.inline = { complete: true, policies: names.map((policyName) => ({ name: policyName, source })) };
  }
  if (grants.attached && !grants.attached.complete) {
    const attached = await readAttached(kind, iam, client, name, grants.attached, options);
    if (!attached) return undefined;
    result.attached = attached;
  } else if (!grants.attached && options.namesOfOtherPart) {
    const refs = await iam.listAttached(name);
    if (!refs) return undefined;
    const source = `ListAttached${IDENTITY[kind].noun}Policies`;
    result.attached = { complete: true, policies: refs.map((ref) => ({ ...ref, source })) };
  }
  return result;
}

async function readInline(
  kind: IdentityKind,
  iam: IdentityIam,
  name: string,
  known: PolicySet<InlinePolicy>,
): Promise<PolicySet<InlinePolicy> | undefined> {
  const names = await iam.listInline(name);
  if (!names) return undefined;
  const removed = new Set(known.removed ?? []);
  // What the call set stands; a document it logged unreadably (truncated) is read live instead.
  const fromCall = new Map(known.policies.filter((p) => readDocument(p.document)).map((p) => [p.name, p]));
  const policies: InlinePolicy[] = [...fromCall.values()];
  const source = `Get${IDENTITY[kind].noun}Policy`;
  for (const policyName of names) {
    if (removed.has(policyName) || fromCall.has(policyName)) continue;
    const document = await iam.getInline(name, policyName);
    // Deleted between the list and the read: not the identity's any more.
    if (document !== undefined) policies.push({ name: policyName, document, source });
  }
  return { complete: true, policies };
}

async function readAttached(
  kind: IdentityKind,
  iam: IdentityIam,
  client: IAMClient,
  name: string,
  known: PolicySet<AttachedPolicy>,
  options: RefreshOptions,
): Promise<PolicySet<AttachedPolicy> | undefined> {
  const refs = await iam.listAttached(name);
  if (!refs) return undefined;
  const removed = new Set(known.removed ?? []);
  const source = `ListAttached${IDENTITY[kind].noun}Policies`;
  const byArn = new Map<string, AttachedPolicy>(
    refs.filter((ref) => !removed.has(ref.arn)).map((ref) => [ref.arn, { ...ref, source }]),
  );
  for (const policy of known.policies) byArn.set(policy.arn, policy);
  const policies: AttachedPolicy[] = [];
  for (const policy of byArn.values()) {
    // AWS managed policies are judged by the configured list; customer managed ones by their document.
    if (
      isAwsManaged(policy.arn) ||
      adminPatternFor(policy.arn, options.adminPatterns) ||
      policy.defaultVersion
    ) {
      policies.push(policy);
      continue;
    }
    const defaultVersion = await defaultVersionOf(client, policy.arn);
    policies.push(defaultVersion ? { ...policy, defaultVersion } : policy);
  }
  return { complete: true, policies };
}
