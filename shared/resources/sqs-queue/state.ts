/**
 * What one event says about one SQS queue's encryption at rest. A queue is encrypted with a KMS key
 * (SSE-KMS) or with SQS-owned keys (SSE-SQS); each setting is undefined when the source doesn't say.
 */
export interface SqsQueueState {
  queueUrl: string;
  queueArn: string;
  queueName: string;
  /** The KMS key (id, ARN or alias) as the queue names it, or null when it has none. */
  kmsMasterKeyId?: string | null;
  /** Whether SSE-SQS is on. */
  sqsManagedSse?: boolean;
  tags?: Record<string, string>;
}
