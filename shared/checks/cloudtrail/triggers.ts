import type { CheckTriggers } from "../define";

const SOURCE = "cloudtrail.amazonaws.com";

export const loggingTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["StopLogging", "StartLogging"] }],
  config: [],
};
export const deletionTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["DeleteTrail"] }],
  config: [],
};
export const updateTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["UpdateTrail"] }],
  config: [],
};

/** Reads the trail adapter makes: ListTags for exemptions (no refresh, no other read). */
export const trailReadActions = ["cloudtrail:ListTags"];
