import type { RoleTarget, sweepReadClients, sweepRemediationClients } from "../aws/clients";
import { memberRole } from "../aws/member-role";
import type { VigilConfig } from "../config/schema";
import { sweepRuntimeConfig } from "../config/sweep";
import type { VigilRuntime } from "../pipeline/runtime";
import { partitionOf } from "./partition";
import type { UnitTarget } from "./worker";

export interface SweepRuntimesDeps {
  /** The container's runtime (store, notifiers, checks); its clients are replaced per target. */
  base: () => Promise<VigilRuntime>;
  config: Pick<VigilConfig, "organization" | "forwarding">;
  /** The stack's Region (AWS_REGION). */
  stackRegion: string;
  /** The home account's remediation role, when the functions assume it (VIGIL_ASSUME_REMEDIATION_ROLE). */
  homeRemediationRole: string | undefined;
  readClients: typeof sweepReadClients;
  remediationClients: typeof sweepRemediationClients;
}

/**
 * The worker's runtimes, one per account and Region (cached for the container's life):
 * - a member account (organisation mode) is read AND remediated as its member role
 *   (`memberRole`: the configured role name, with the ExternalId its trust requires);
 * - the home account is read with the function's own credentials and remediated as the stack's
 *   remediation role.
 * Remediation happens only in the Regions where Vigil is deployed (the stack's and
 * `forwarding.regions`), whose writes the roles are scoped to and whose events the loop guard
 * sees; elsewhere the sweep reports (remediation is recorded as held back).
 */
export function sweepRuntimes(deps: SweepRuntimesDeps): (target: UnitTarget) => Promise<VigilRuntime> {
  const cache = new Map<string, Promise<VigilRuntime>>();
  const remediates = (region: string) =>
    region === deps.stackRegion || deps.config.forwarding.regions.includes(region);
  return (target) => {
    const key = `${target.account}/${target.region}`;
    let runtime = cache.get(key);
    if (!runtime) {
      runtime = deps.base().then((base) => {
        const member: RoleTarget | undefined = memberRole(
          deps.config.organization,
          target.account,
          target.homeAccount,
          partitionOf(target.region),
        );
        const reads = deps.readClients(target.region, member);
        const writer = member ?? deps.homeRemediationRole;
        return {
          ...base,
          config: sweepRuntimeConfig(base.config),
          readClients: reads,
          remediationClients: remediates(target.region)
            ? { ...deps.remediationClients(writer, target.region, reads), logger: base.logger }
            : undefined,
        };
      });
      runtime.catch(() => cache.delete(key));
      cache.set(key, runtime);
    }
    return runtime;
  };
}
