import type { CheckTriggers } from "../define";

const SOURCE = "ec2.amazonaws.com";
const CONFIG = ["AWS::EC2::Instance"];

/** Launches, metadata-option changes and terminations (which resolve), plus Config's view. */
export const imdsTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: SOURCE,
      eventNames: ["RunInstances", "ModifyInstanceMetadataOptions", "TerminateInstances"],
    },
  ],
  config: CONFIG,
};

/** Public addresses come with a launch; Config items show the ones added later (e.g. Elastic IPs). */
export const publicIpTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: SOURCE, eventNames: ["RunInstances", "TerminateInstances"] }],
  config: CONFIG,
};

/**
 * Reads the instance adapter makes: DescribeInstances (tags for exemptions; a launch's settings the
 * event leaves to defaults) and DescribeSubnets (whether a launch's subnet auto-assigns an address).
 */
export const instanceReadActions = ["ec2:DescribeInstances", "ec2:DescribeSubnets"];
