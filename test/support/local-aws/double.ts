import type { IncomingHttpHeaders } from "node:http";

/**
 * A service the local endpoint models besides DynamoDB, EC2 and SNS (CloudTrail, GuardDuty, S3, ...).
 * The server picks the double by the SigV4 signing name in the request's credential scope.
 */
export interface ServiceDouble {
  /** SigV4 signing name, e.g. `cloudtrail`, `guardduty`, `config`, `kms`, `s3`, `elasticloadbalancing`. */
  readonly signingName: string;
  /**
   * When several doubles share a signing name, whether this one serves the request (e.g. by its
   * action). A double that accepts wins over one without `accepts`, which takes the rest.
   */
  accepts?(request: DoubleRequest): boolean;
  handle(request: DoubleRequest): DoubleResponse | Promise<DoubleResponse>;
}

export interface DoubleRequest {
  method: string;
  /** Path and query, e.g. `/my-bucket?encryption`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `X-Amz-Target` for JSON-protocol services, e.g. `CloudTrail_20131101.StartLogging`; "" otherwise. */
  target: string;
  region: string;
  requestId: string;
}

export interface DoubleResponse {
  /** The API operation, for the request log (e.g. `StartLogging`, `PutBucketEncryption`). */
  action: string;
  status: number;
  body: string;
  /** At least `content-type`; the server adds `x-amzn-requestid` and `content-length`. */
  headers: Record<string, string>;
  /** Request fields worth asserting, for the request log (e.g. the decoded JSON input). */
  params?: Record<string, string>;
}

/** An AWS JSON protocol (1.0 or 1.1) answer: 200 with the operation's output. */
export function jsonOutput(
  action: string,
  params: Record<string, string>,
  contentType: string,
  output: unknown,
): DoubleResponse {
  return {
    action,
    status: 200,
    body: JSON.stringify(output),
    headers: { "content-type": contentType },
    params,
  };
}

/** An AWS JSON protocol error: 400 with `__type` and `message`, as the SDK parses it. */
export function jsonError(
  action: string,
  params: Record<string, string>,
  contentType: string,
  error: { type: string; message: string; headers?: Record<string, string> },
): DoubleResponse {
  return {
    action,
    status: 400,
    body: JSON.stringify({ __type: error.type, message: error.message }),
    headers: { "content-type": contentType, ...error.headers },
    params,
  };
}
