import { NO_NETWORK_POLICY } from "../checks/eks-workloads/no-network-policy";
import type { ResourceRef } from "../core/resource";
import { findingId } from "../findings/id";
import type { Finding } from "../findings/model";
import { updateFinding } from "../findings/store";
import type { EksNamespaceState } from "../resources/eks-namespace/state";
import type { VigilRuntime } from "../pipeline/runtime";

/**
 * A namespace's NetworkPolicies live in its VIGIL.EKS.NO_NETWORK_POLICY finding's evidence: the
 * finding exists once Vigil saw the namespace created, and from then on each policy created or
 * deleted is added to or removed from the list there (a set: a redelivered event changes nothing).
 * Without that finding Vigil never saw the namespace created, so it can't know its policies.
 */
function trackedPolicies(finding: Finding | undefined): string[] | undefined {
  const evidence = finding?.evidence[0];
  if (evidence?.tracked !== true || !Array.isArray(evidence.networkPolicies)) return undefined;
  return evidence.networkPolicies.filter((name): name is string => typeof name === "string");
}

function namespaceFindingId(ref: ResourceRef): string {
  return findingId({
    account: ref.account,
    region: ref.region,
    checkId: NO_NETWORK_POLICY,
    resourceId: ref.id,
  });
}

function withTracking(finding: Finding, networkPolicies: string[], tracked: boolean): Finding {
  const [first, ...rest] = finding.evidence;
  return { ...finding, evidence: [{ ...first, networkPolicies, tracked }, ...rest] };
}

/**
 * Applies one NetworkPolicy change to the namespace's tracked list (optimistic locking, so
 * concurrent changes in one namespace compose) and returns the namespace as it now stands.
 */
export async function applyNetworkPolicyChange(
  ref: ResourceRef,
  scope: { cluster: string; namespace: string },
  change: { name: string; created: boolean },
  rt: VigilRuntime,
): Promise<EksNamespaceState> {
  const { after } = await updateFinding(rt.store, namespaceFindingId(ref), (current) => {
    const known = trackedPolicies(current);
    if (!current || !known) return undefined;
    const next = change.created
      ? [...new Set([...known, change.name])].sort()
      : known.filter((name) => name !== change.name);
    return next.length === known.length && next.every((n, i) => n === known[i])
      ? undefined
      : withTracking(current, next, true);
  });
  const policies = trackedPolicies(after);
  return { ...scope, networkPolicies: policies ?? [], tracked: policies !== undefined };
}

/** A deleted namespace's list is void: a namespace of the same name created unseen starts unknown. */
export async function forgetNetworkPolicies(ref: ResourceRef, rt: VigilRuntime): Promise<void> {
  await updateFinding(rt.store, namespaceFindingId(ref), (current) =>
    current && trackedPolicies(current) ? withTracking(current, [], false) : undefined,
  );
}
