import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromFindingEvent } from "./from-event";
import { GUARDDUTY_FINDING_TYPE } from "./ref";

/**
 * GuardDuty threat findings, from their "GuardDuty Finding" events (source `aws.guardduty`, which
 * also sends the CloudTrail events the detector-tampering checks read: the detail-type tells them
 * apart). Each event carries the whole finding, so nothing is read back from GuardDuty.
 */
export default defineResourceAdapter({
  resourceType: GUARDDUTY_FINDING_TYPE,
  fromCloudTrail(detail) {
    throw new UnusableEventError(`GuardDuty findings are not read from CloudTrail (${detail.eventName})`);
  },
  fromEvent: fromFindingEvent,
  fromConfigItem() {
    throw new UnusableEventError("AWS Config has no items for GuardDuty findings");
  },
  // Findings carry no tags (see `GuardDutyFindingState.tags`); the events say so (`tagsKnown`).
  async readTags() {
    return {};
  },
});
