import type { GuardDutySettings } from "../../config/guardduty";
import type { GuardDutyFindingState } from "../../resources/guardduty-finding/state";

/** The remediation that moves an instance to the quarantine group (shared/remediations/quarantine-instance.ts). */
export const QUARANTINE_INSTANCE_ID = "quarantine-instance";

/**
 * Whether the quarantine response applies to this finding, decided from configuration and the
 * finding alone (pure), and stored in the violation's evidence for the remediation to act on.
 */
export type QuarantinePlan =
  | {
      eligible: true;
      instanceId: string;
      securityGroupId: string;
      /** The network interfaces and groups GuardDuty saw (the remediation reads the live ones). */
      networkInterfaces: { networkInterfaceId: string; securityGroupIds: string[] }[];
      optOutTagKey: string;
    }
  | { eligible: false; reason: string };

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** `*` matches any run of characters; everything else literally. */
export function matchesFindingType(pattern: string, type: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(type);
}

export function quarantinePlan(state: GuardDutyFindingState, settings: GuardDutySettings): QuarantinePlan {
  const q = settings.quarantine;
  const no = (reason: string): QuarantinePlan => ({ eligible: false, reason });
  if (!q.enabled || !q.securityGroupId) return no("quarantine is off (guardDuty.quarantine.enabled)");
  if (state.sample) return no("sample finding: never quarantined");
  const instance = state.resource.instance;
  if (state.resource.resourceType !== "Instance" || !instance) return no("not an EC2 instance finding");
  if (!INSTANCE_ID.test(instance.instanceId)) return no(`"${instance.instanceId}" is not an instance id`);
  // The remediation role acts in the account that received the event, not in a member account.
  if (state.accountId !== state.receivedInAccount)
    return no(`the instance is in account ${state.accountId}, not in this one`);
  if (q.findingTypes && !q.findingTypes.some((pattern) => matchesFindingType(pattern, state.type)))
    return no(`${state.type} is not in guardDuty.quarantine.findingTypes`);
  if (state.severity < q.minSeverity)
    return no(`severity ${state.severity} is below guardDuty.quarantine.minSeverity (${q.minSeverity})`);
  if (instance.networkInterfaces.length > 1)
    return no(
      `${instance.instanceId} has ${instance.networkInterfaces.length} network interfaces: quarantine it by hand ` +
        "(ModifyInstanceAttribute sets the groups of a single-interface instance only)",
    );
  if (instance.tags[q.optOutTagKey] !== undefined)
    return no(`${instance.instanceId} is tagged ${q.optOutTagKey} (opted out of quarantine)`);
  return {
    eligible: true,
    instanceId: instance.instanceId,
    securityGroupId: q.securityGroupId,
    networkInterfaces: instance.networkInterfaces.map((ni) => ({
      networkInterfaceId: ni.networkInterfaceId,
      securityGroupIds: ni.securityGroupIds,
    })),
    optOutTagKey: q.optOutTagKey,
  };
}
