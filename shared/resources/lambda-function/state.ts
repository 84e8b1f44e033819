import type { ValueFacts } from "../../leaks/secret-values";

/** One environment variable: its name and what is known about its value, never the value. */
export interface EnvironmentVariable {
  name: string;
  value: ValueFacts;
}

/**
 * A Lambda function's unqualified (`$LATEST`) configuration, as far as Vigil's checks need it.
 * The environment's values are judged when read (`valueFacts`) and dropped: nothing downstream of
 * the adapter ever holds them.
 */
export interface LambdaFunctionState {
  functionName: string;
  functionArn: string;
  /** Tags when the source carried them (Config items do; CloudTrail and GetFunctionConfiguration don't). */
  tags?: Record<string, string>;
  /**
   * The environment variables; `undefined` when this source did not say (CloudTrail omits them,
   * Config does not record them, or Lambda could not decrypt them for Vigil).
   */
  environment?: EnvironmentVariable[];
  /** Why Lambda returned no variables (`Environment.Error.ErrorCode`, a KMS error), when it didn't. */
  environmentError?: string;
  /** The customer managed KMS key that encrypts the variables at rest, when one is set. */
  kmsKeyArn?: string;
}
