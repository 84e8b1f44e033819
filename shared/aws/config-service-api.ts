/** The parts of the AWS Config SDK Vigil uses; only ever imported through `loadConfigService()` (./sdk). */
export { ConfigServiceClient, GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
