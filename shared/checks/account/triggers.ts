import type { CheckTriggers } from "../define";

export const ebsDefaultEncryptionTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: "ec2.amazonaws.com",
      eventNames: ["DisableEbsEncryptionByDefault", "EnableEbsEncryptionByDefault"],
    },
  ],
  config: [],
};

/** S3 Control's account-level calls reach CloudTrail with S3's own event source. */
export const accountPublicAccessBlockTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: "s3.amazonaws.com",
      eventNames: ["PutAccountPublicAccessBlock", "DeleteAccountPublicAccessBlock"],
    },
  ],
  config: [],
};

const CONFIG = "config.amazonaws.com";

export const recorderStoppedTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: CONFIG, eventNames: ["StopConfigurationRecorder", "StartConfigurationRecorder"] },
  ],
  config: [],
};
export const recorderDeletedTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: CONFIG,
      eventNames: ["DeleteConfigurationRecorder", "PutConfigurationRecorder", "StartConfigurationRecorder"],
    },
  ],
  config: [],
};
export const deliveryChannelDeletedTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: CONFIG, eventNames: ["DeleteDeliveryChannel", "PutDeliveryChannel"] }],
  config: [],
};

/** Reads the recorder adapter makes: the recorder's ARN, then its tags (exemptions). */
export const recorderReadActions = ["config:DescribeConfigurationRecorders", "config:ListTagsForResource"];
