/** The parts of the CloudWatch Logs SDK Vigil uses; only ever imported through `loadCloudWatchLogs()` (./sdk). */
export {
  CloudWatchLogsClient,
  PutSubscriptionFilterCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-cloudwatch-logs";
