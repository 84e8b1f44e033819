/** The parts of the AWS Config SDK Vigil uses; only ever imported through `loadConfigService()` (./sdk). */
export {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  GetResourceConfigHistoryCommand,
  ListTagsForResourceCommand,
  StartConfigurationRecorderCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
