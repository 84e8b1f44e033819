import { defineCheck } from "../define";
import { deliveryChannelDeletedTriggers } from "./triggers";

/**
 * Alert only: a delivery channel names an S3 bucket (and maybe an SNS topic and KMS key) that the
 * deletion event doesn't carry; pointing Config at a guessed bucket could leak its history.
 */
export default defineCheck({
  id: "VIGIL.CONFIG.DELIVERY_CHANNEL_DELETED",
  title: "AWS Config delivery channels should not be deleted",
  severity: "CRITICAL",
  resourceType: "AWS::Config::DeliveryChannel",
  // Related to Config.1 / CIS 3.3 (a recorder can't record without a channel), not the same control.
  controls: [],
  description:
    "Someone deleted the Region's AWS Config delivery channel (DeleteDeliveryChannel, possible only with the recorder stopped): the recorder can't be started again until a channel exists. Re-create it with its S3 bucket (PutDeliveryChannel), start the recorder and investigate the actor.",
  triggers: deliveryChannelDeletedTriggers,
  // Nothing is read: the call is the whole truth and channels carry no tags.
  iamActions: [],
  tampering: true,
  evaluate: (state) =>
    state.deleted
      ? [
          {
            summary: `AWS Config delivery channel ${state.channelName} was deleted in ${state.region}`,
            evidence: { channelName: state.channelName, region: state.region, deleted: true },
          },
        ]
      : [],
});
