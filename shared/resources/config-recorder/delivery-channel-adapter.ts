import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromDeliveryChannelCall } from "./from-cloudtrail";
import { DELIVERY_CHANNEL_TYPE } from "./ref";

export default defineResourceAdapter({
  resourceType: DELIVERY_CHANNEL_TYPE,
  fromCloudTrail: fromDeliveryChannelCall,
  fromConfigItem() {
    throw new UnusableEventError("AWS::Config::DeliveryChannel is not read from Config items");
  },
  async readTags() {
    // Delivery channels carry no tags: only config exemptions apply (observations say tagsKnown).
    return {};
  },
});
