import type { ResourceRef } from "../core/resource";
import type { RemediationClients } from "../remediations/define";
import type { ReadClients } from "../resources/adapter";
import { isTransient } from "./remediate";
import type { VigilRuntime } from "./runtime";

/** The AWS access the pipeline has for one resource, in the resource's own account and Region. */
export interface ResourceClients {
  reads: ReadClients | undefined;
  remediation: RemediationClients | undefined;
  /** Set when remediation can't run there; `retry` when a later attempt may succeed (throttled STS). */
  holdBack?: { reason: string; retry: boolean };
}

/**
 * The clients for `resource`: the runtime's own for its account in its Region (the common case,
 * no call), else those `rt.accountClients` picks (member role, another Region). A runtime that
 * replaced its clients (a sweep unit, a scan Region) keeps them: the picker was built beside the
 * clients it replaced, so it is not consulted.
 */
export async function clientsForResource(
  resource: Pick<ResourceRef, "account" | "region">,
  rt: VigilRuntime,
): Promise<ResourceClients> {
  const own = { reads: rt.readClients, remediation: rt.remediationClients };
  const picker = rt.accountClients;
  if (!picker || !rt.readClients || picker.home !== rt.readClients) return own;
  const scoped = await picker.clientsFor(resource.account, resource.region);
  if (!scoped) return own;
  return {
    reads: scoped.reads,
    remediation: scoped.remediation,
    ...(scoped.unavailable
      ? {
          holdBack: {
            reason: scoped.unavailable,
            retry: scoped.cause !== undefined && isTransient(scoped.cause),
          },
        }
      : {}),
  };
}
