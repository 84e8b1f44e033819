import { isIPv4, isIPv6 } from "node:net";
import { guardDutyActor } from "../../resources/guardduty-finding/actor";
import {
  GUARDDUTY_FINDING_DETAIL_TYPE,
  GUARDDUTY_SOURCE,
} from "../../resources/guardduty-finding/from-event";
import type {
  AffectedResource,
  GuardDutyFindingState,
  InstanceDetails,
} from "../../resources/guardduty-finding/state";
import { compact } from "../../resources/guardduty-finding/trim";
import { defineCheck, type Violation } from "../define";
import { findingSummary } from "./describe";
import { QUARANTINE_INSTANCE_ID, quarantinePlan } from "./quarantine-plan";
import { guardDutySeverityLabel, severityFromGuardDuty } from "./severity";

/** The remote address as a one-address CIDR, so config exemptions can allow e.g. a scanning vendor by `cidrs`. */
function remoteCidr(state: GuardDutyFindingState): string | undefined {
  const ip = state.action?.remote?.ip;
  if (ip && isIPv4(ip)) return `${ip}/32`;
  if (ip && isIPv6(ip)) return `${ip}/128`;
  return undefined;
}

/** The affected resource without the instance's tags (any text at all): its `Name` is kept as `name`. */
function evidenceResource(
  state: GuardDutyFindingState,
): Omit<AffectedResource, "instance"> & { instance?: Omit<InstanceDetails, "tags"> } {
  const instance = state.resource.instance;
  if (!instance) return state.resource;
  const { tags: _tags, ...rest } = instance;
  return { ...state.resource, instance: rest };
}

export default defineCheck({
  id: "VIGIL.GUARDDUTY.FINDING",
  title: "GuardDuty threat findings should be investigated",
  // Each finding takes its own severity from GuardDuty's (see ./severity.ts); this is the catalog's.
  severity: "HIGH",
  resourceType: "AWS::GuardDuty::Finding",
  controls: [],
  description:
    "GuardDuty reported a threat; the alert names its type, the resource, the actor and the network details. Investigate, then archive it in GuardDuty (archived findings resolve); Vigil can move an EC2 instance to a quarantine security group (guardDuty.quarantine, off by default).",
  triggers: {
    cloudTrail: [],
    config: [],
    // Only this detail-type: `aws.guardduty`'s CloudTrail events go to the detector-tampering checks.
    events: [{ source: GUARDDUTY_SOURCE, detailType: GUARDDUTY_FINDING_DETAIL_TYPE }],
  },
  // The event carries the whole finding: nothing is read back.
  iamActions: [],
  remediation: { id: QUARANTINE_INSTANCE_ID, defaultMode: "dry-run" },
  // GuardDuty republishes a finding every few hours with a higher count: update quietly, alert on escalation.
  realert: "on-severity-increase",
  evaluate(state, { config }) {
    if (state.archived || state.severity < config.guardDuty.minSeverity) return [];
    const actor = guardDutyActor(state);
    const cidr = remoteCidr(state);
    const violation: Violation = {
      summary: findingSummary(state),
      severity: severityFromGuardDuty(state.severity),
      evidence: compact({
        guardDutyFindingId: state.findingId,
        type: state.type,
        severity: state.severity,
        severityLabel: guardDutySeverityLabel(state.severity),
        title: state.title,
        sample: state.sample,
        accountId: state.accountId,
        resource: evidenceResource(state),
        resourceRole: state.resourceRole,
        action: state.action,
        actor,
        count: state.count,
        eventFirstSeen: state.eventFirstSeen,
        eventLastSeen: state.eventLastSeen,
        updatedAt: state.updatedAt,
        quarantine: quarantinePlan(state, config.guardDuty),
      }),
      ...(cidr ? { cidr } : {}),
    };
    return [violation];
  },
});
