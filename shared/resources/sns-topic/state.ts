/** What one event says about one SNS topic's encryption at rest (SSE with a KMS key). */
export interface SnsTopicState {
  topicArn: string;
  topicName: string;
  /** The KMS key (id, ARN or alias) as the topic names it, null when it has none, undefined when the source doesn't say. */
  kmsMasterKeyId?: string | null;
  tags?: Record<string, string>;
}
