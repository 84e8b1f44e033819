import type { CheckTriggers } from "../define";

const SOURCE = "guardduty.amazonaws.com";

/**
 * CloudTrail calls only: `aws.guardduty` also sends "GuardDuty Finding" events, which the CloudTrail
 * rule never matches (it filters on detail-type "AWS API Call via CloudTrail").
 */
export const updateTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["UpdateDetector"] }],
  config: [],
};
export const deletionTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["DeleteDetector"] }],
  config: [],
};

/**
 * Reads for this resource type: ListTagsForResource (exemptions, by the adapter), GetDetector and
 * ListDetectors (the remediation's confirmation and its "no detector left" guard).
 */
export const detectorReadActions = [
  "guardduty:GetDetector",
  "guardduty:ListDetectors",
  "guardduty:ListTagsForResource",
];

export const RESTORE_DETECTOR = { id: "restore-guardduty-detector", defaultMode: "auto" } as const;
