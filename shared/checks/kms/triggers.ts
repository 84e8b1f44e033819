import type { CheckTriggers } from "../define";

const SOURCE = "kms.amazonaws.com";

export const deletionTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["ScheduleKeyDeletion", "CancelKeyDeletion"] }],
  config: [],
};
export const rotationTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["DisableKeyRotation", "EnableKeyRotation", "CreateKey"] }],
  config: [],
};
