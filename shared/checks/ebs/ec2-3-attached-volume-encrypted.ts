import { volumeReadActions } from "../../resources/ebs-volume/adapter";
import { defineCheck } from "../define";

/**
 * Only attached volumes count (FSBP EC2.3, rule `encrypted-volumes`): an unattached volume is not
 * applicable. So `CreateVolume` is not watched: a new volume is never attached, and an unencrypted
 * one is reported when it is attached (`AttachVolume`, or Config's item for it). Unencrypted
 * creation itself is the account setting's business (EC2.7, EBS encryption by default).
 * Detect only: EBS can't encrypt a volume in place.
 */
export default defineCheck({
  id: "EC2.3",
  title: "Attached Amazon EBS volumes should be encrypted at-rest",
  severity: "MEDIUM",
  resourceType: "AWS::EC2::Volume",
  controls: ["FSBP EC2.3"],
  description:
    "An attached EBS volume is not encrypted at rest, and EBS can't encrypt a volume in place: snapshot it, copy the snapshot with encryption (CopySnapshot --encrypted, a KMS key), create a volume from the copy and swap it in during a maintenance window. Turn on EBS encryption by default (EC2.7) so new volumes are encrypted.",
  triggers: {
    cloudTrail: [
      { eventSource: "ec2.amazonaws.com", eventNames: ["AttachVolume", "DetachVolume", "DeleteVolume"] },
    ],
    config: ["AWS::EC2::Volume"],
  },
  iamActions: volumeReadActions,
  undecided: (state) =>
    state.encrypted === undefined || state.attachedTo === undefined
      ? "the volume's encryption and attachments are not known from this source"
      : undefined,
  evaluate: (state) =>
    state.encrypted === false && state.attachedTo?.length
      ? [
          {
            summary: `EBS volume ${state.volumeId} is attached to ${state.attachedTo.join(", ")} and not encrypted`,
            evidence: { volumeId: state.volumeId, encrypted: false, attachedTo: state.attachedTo },
          },
        ]
      : [],
});
