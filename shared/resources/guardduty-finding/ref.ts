import type { ResourceRef } from "../../core/resource";

export const GUARDDUTY_FINDING_TYPE = "AWS::GuardDuty::Finding";

/** GuardDuty ids (detector, finding) are alphanumeric; anything else is not built into an ARN or a finding id. */
export const GUARDDUTY_ID = /^[A-Za-z0-9]{1,300}$/;
const FINDING_ARN =
  /^arn:aws(-[a-z]+)*:guardduty:[a-z0-9-]+:\d{12}:detector\/[A-Za-z0-9]+\/finding\/[A-Za-z0-9]+$/;

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The finding's own ARN when it is well formed, else one built from its parts (never from free text). */
export function findingArn(input: {
  arn?: string;
  findingId: string;
  detectorId?: string;
  account: string;
  region: string;
}): string {
  if (input.arn && FINDING_ARN.test(input.arn) && input.arn.endsWith(`/finding/${input.findingId}`))
    return input.arn;
  const detector = input.detectorId ? `detector/${input.detectorId}/` : "";
  return `arn:${partitionOf(input.region)}:guardduty:${input.region}:${input.account}:${detector}finding/${input.findingId}`;
}

/** The Vigil resource: the GuardDuty finding itself, named by its type (e.g. `[SAMPLE] Recon:EC2/PortProbeUnprotectedPort`). */
export function guardDutyFindingRef(input: {
  findingId: string;
  arn: string;
  account: string;
  region: string;
  name: string;
}): ResourceRef {
  return {
    type: GUARDDUTY_FINDING_TYPE,
    id: input.findingId,
    arn: input.arn,
    account: input.account,
    region: input.region,
    name: input.name,
  };
}
