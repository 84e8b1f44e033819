import type { ResourceRef } from "../../core/resource";

export const SQS_QUEUE_TYPE = "AWS::SQS::Queue";

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

export interface QueueTarget {
  queueUrl: string;
  queueName: string;
  queueArn: string;
  account: string;
  region: string;
}

/**
 * The queue a URL names (`https://sqs.<region>.amazonaws.com/<account>/<name>`, or a legacy host):
 * the path carries the account and name, the call's region is the queue's. Undefined when it isn't one.
 */
export function queueFromUrl(queueUrl: string, region: string): QueueTarget | undefined {
  let path: string[];
  try {
    path = new URL(queueUrl).pathname.split("/").filter(Boolean);
  } catch {
    return undefined;
  }
  const [account, queueName] = path;
  if (path.length !== 2 || !account || !queueName || !/^\d{12}$/.test(account) || !QUEUE_NAME.test(queueName))
    return undefined;
  const queueArn = `arn:${partitionOf(region)}:sqs:${region}:${account}:${queueName}`;
  return { queueUrl, queueName, queueArn, account, region };
}

/** Findings key on the queue ARN: CloudTrail names queues by URL, Config by URL or ARN, and both lead here. */
export function queueRef(target: QueueTarget): ResourceRef {
  return {
    type: SQS_QUEUE_TYPE,
    id: target.queueArn,
    arn: target.queueArn,
    account: target.account,
    region: target.region,
    name: target.queueName,
  };
}

const QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,85})$/;

/** The queue an ARN names, with its standard endpoint URL. Undefined when it isn't a queue ARN. */
export function queueFromArn(queueArn: string): QueueTarget | undefined {
  const match = QUEUE_ARN.exec(queueArn);
  const [, partition = "", region = "", account = "", queueName = ""] = match ?? [];
  if (!match || !QUEUE_NAME.test(queueName)) return undefined;
  const domain = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  const queueUrl = `https://sqs.${region}.${domain}/${account}/${queueName}`;
  return { queueUrl, queueName, queueArn, account, region };
}
