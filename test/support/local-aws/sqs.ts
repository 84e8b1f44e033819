import { createHash, randomUUID } from "node:crypto";
import { type DoubleRequest, type DoubleResponse, type ServiceDouble, jsonError, jsonOutput } from "./double";

/**
 * SQS queues and messages in memory, in the AWS JSON 1.0 protocol the SDK v3 SQSClient speaks
 * (`X-Amz-Target: AmazonSQS.<Op>`, signing name `sqs`, errors as `__type` plus the
 * `x-amzn-query-error` header). Only what Vigil and its tests use: CreateQueue, ListQueues,
 * ListQueueTags, TagQueue, GetQueueAttributes, SendMessage, ReceiveMessage (with visibility
 * timeouts), DeleteMessage and StartMessageMoveTask (DLQ redrive, run at once), with SQS's error codes.
 */

const CONTENT_TYPE = "application/x-amz-json-1.0";
const TARGET = /^AmazonSQS\.(\w+)$/;
export const SQS_ACCOUNT = "111122223333";
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface LocalSqsMessage {
  messageId: string;
  body: string;
  /** Epoch ms before which ReceiveMessage doesn't return it. */
  invisibleUntil: number;
  receiveCount: number;
  /** The current receipt handle (a new one per receive); undefined before the first receive. */
  receiptHandle?: string;
  /** The queue it was first sent to (where a move task returns it). */
  sourceArn: string;
}

export interface LocalQueue {
  name: string;
  arn: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  messages: LocalSqsMessage[];
}

class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The query-protocol code the SDK reads from `x-amzn-query-error` (e.g. `AWS.SimpleQueueService.NonExistentQueue`). */
    readonly queryCode = code,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;
const text = (input: Input, field: string): string | undefined =>
  typeof input[field] === "string" ? input[field] : undefined;
const md5 = (value: string) => createHash("md5").update(value, "utf8").digest("hex");

export class SqsDouble implements ServiceDouble {
  readonly signingName = "sqs";
  private readonly queues = new Map<string, LocalQueue>();
  /** Move tasks started, for tests to assert. */
  readonly moveTasks: { taskHandle: string; sourceArn: string; destinationArn?: string; moved: number }[] =
    [];
  /** Messages per ListQueues page when the request names no MaxResults (SQS returns up to 1000). */
  listPageSize = 1000;

  /** The queue by name, for tests to inspect (messages in order, visible or not). */
  queue(name: string): LocalQueue | undefined {
    return this.queues.get(name);
  }

  handle(request: DoubleRequest): DoubleResponse {
    const action = TARGET.exec(request.target)?.[1] ?? request.target;
    let input: Input = {};
    try {
      const parsed: unknown = JSON.parse(request.body.toString("utf8") || "{}");
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) input = parsed as Input;
    } catch {
      return this.error(action, {}, new SqsError("InvalidParameterValue", "request body is not JSON"));
    }
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(input))
      params[key] = typeof value === "string" ? value : JSON.stringify(value);
    try {
      const base = `http://${request.headers.host ?? "127.0.0.1"}/${SQS_ACCOUNT}`;
      const body = this.dispatch(action, input, request.region, base);
      return jsonOutput(action, params, CONTENT_TYPE, body);
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      return this.error(action, params, error);
    }
  }

  private error(action: string, params: Record<string, string>, error: SqsError): DoubleResponse {
    return jsonError(action, params, CONTENT_TYPE, {
      type: `com.amazonaws.sqs#${error.code}`,
      message: error.message,
      headers: { "x-amzn-query-error": `${error.queryCode};Sender` },
    });
  }

  private dispatch(action: string, input: Input, region: string, base: string): Input {
    switch (action) {
      case "CreateQueue":
        return { QueueUrl: `${base}/${this.create(input, region).name}` };
      case "ListQueues":
        return this.list(input, base);
      case "ListQueueTags":
        return { Tags: { ...this.byUrl(input).tags } };
      case "TagQueue":
        Object.assign(this.byUrl(input).tags, input.Tags as Record<string, string>);
        return {};
      case "GetQueueAttributes":
        return { Attributes: this.attributes(this.byUrl(input), input) };
      case "SendMessage":
        return this.send(this.byUrl(input), input);
      case "ReceiveMessage":
        return this.receive(this.byUrl(input), input);
      case "DeleteMessage":
        this.delete(this.byUrl(input), input);
        return {};
      case "StartMessageMoveTask":
        return this.startMove(input);
      default:
        throw new SqsError("UnsupportedOperation", `${action} is not supported by the local SQS`);
    }
  }

  private create(input: Input, region: string): LocalQueue {
    const name = text(input, "QueueName") ?? "";
    if (!QUEUE_NAME.test(name))
      throw new SqsError(
        "InvalidParameterValue",
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
      );
    const existing = this.queues.get(name);
    if (existing) return existing;
    const queue: LocalQueue = {
      name,
      arn: `arn:aws:sqs:${region}:${SQS_ACCOUNT}:${name}`,
      attributes: { VisibilityTimeout: "30", ...(input.Attributes as Record<string, string> | undefined) },
      tags: { ...(input.tags as Record<string, string> | undefined) },
      messages: [],
    };
    this.queues.set(name, queue);
    return queue;
  }

  private list(input: Input, base: string): Input {
    const prefix = text(input, "QueueNamePrefix") ?? "";
    const names = [...this.queues.keys()].filter((n) => n.startsWith(prefix)).sort();
    const max = typeof input.MaxResults === "number" ? input.MaxResults : this.listPageSize;
    const start = Number(text(input, "NextToken") ?? "0");
    const page = names.slice(start, start + max);
    return {
      QueueUrls: page.map((n) => `${base}/${n}`),
      ...(start + max < names.length ? { NextToken: String(start + max) } : {}),
    };
  }

  private byUrl(input: Input): LocalQueue {
    const url = text(input, "QueueUrl");
    if (!url) throw new SqsError("MissingParameter", "The request must contain the parameter QueueUrl.");
    const queue = this.queues.get(url.split("/").pop() ?? "");
    if (!queue)
      throw new SqsError(
        "QueueDoesNotExist",
        "The specified queue does not exist.",
        "AWS.SimpleQueueService.NonExistentQueue",
      );
    return queue;
  }

  private attributes(queue: LocalQueue, input: Input): Record<string, string> {
    const now = Date.now();
    const all: Record<string, string> = {
      ...queue.attributes,
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(queue.messages.filter((m) => m.invisibleUntil <= now).length),
      ApproximateNumberOfMessagesNotVisible: String(
        queue.messages.filter((m) => m.invisibleUntil > now).length,
      ),
    };
    const wanted = Array.isArray(input.AttributeNames) ? (input.AttributeNames as string[]) : [];
    if (wanted.includes("All")) return all;
    return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.includes(key)));
  }

  private send(queue: LocalQueue, input: Input): Input {
    const body = text(input, "MessageBody");
    if (!body) throw new SqsError("MissingParameter", "The request must contain the parameter MessageBody.");
    const message: LocalSqsMessage = {
      messageId: randomUUID(),
      body,
      invisibleUntil: 0,
      receiveCount: 0,
      sourceArn: queue.arn,
    };
    queue.messages.push(message);
    return { MessageId: message.messageId, MD5OfMessageBody: md5(body) };
  }

  private receive(queue: LocalQueue, input: Input): Input {
    const max = typeof input.MaxNumberOfMessages === "number" ? input.MaxNumberOfMessages : 1;
    if (max < 1 || max > 10)
      throw new SqsError(
        "InvalidParameterValue",
        "Value for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10.",
      );
    const timeout =
      typeof input.VisibilityTimeout === "number"
        ? input.VisibilityTimeout
        : Number(queue.attributes.VisibilityTimeout);
    const now = Date.now();
    const taken = queue.messages.filter((m) => m.invisibleUntil <= now).slice(0, max);
    for (const message of taken) {
      message.invisibleUntil = now + timeout * 1000;
      message.receiveCount++;
      message.receiptHandle = randomUUID();
    }
    return {
      Messages: taken.map((m) => ({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: md5(m.body),
        Body: m.body,
      })),
    };
  }

  private delete(queue: LocalQueue, input: Input): void {
    const handle = text(input, "ReceiptHandle");
    const index = queue.messages.findIndex(
      (m) => m.receiptHandle !== undefined && m.receiptHandle === handle,
    );
    if (index < 0)
      throw new SqsError(
        "ReceiptHandleIsInvalid",
        `The input receipt handle "${handle}" is not a valid receipt handle.`,
      );
    queue.messages.splice(index, 1);
  }

  /** SQS redrive: the messages go back to the queue each came from (or to DestinationArn), all at once here. */
  private startMove(input: Input): Input {
    const sourceArn = text(input, "SourceArn") ?? "";
    const source = [...this.queues.values()].find((q) => q.arn === sourceArn);
    if (!source)
      throw new SqsError(
        "ResourceNotFoundException",
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    const isDeadLetterQueue = [...this.queues.values()].some((q) =>
      (q.attributes.RedrivePolicy ?? "").includes(`"deadLetterTargetArn":"${sourceArn}"`),
    );
    if (!isDeadLetterQueue)
      throw new SqsError("InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.");
    const destinationArn = text(input, "DestinationArn");
    const moved = source.messages.splice(0);
    for (const message of moved) {
      const target = [...this.queues.values()].find((q) => q.arn === (destinationArn ?? message.sourceArn));
      target?.messages.push({ ...message, invisibleUntil: 0, sourceArn: target.arn });
    }
    const taskHandle = Buffer.from(JSON.stringify({ sourceArn, id: randomUUID() })).toString("base64");
    this.moveTasks.push({
      taskHandle,
      sourceArn,
      ...(destinationArn ? { destinationArn } : {}),
      moved: moved.length,
    });
    return { TaskHandle: taskHandle };
  }

  /** Test seeding: puts a message straight into a queue as if it had come from `sourceArn` (dead-lettered there). */
  deadLetter(queueName: string, body: string, sourceArn: string): void {
    const queue = this.queues.get(queueName);
    if (!queue) throw new Error(`no queue ${queueName}`);
    queue.messages.push({ messageId: randomUUID(), body, invisibleUntil: 0, receiveCount: 1, sourceArn });
  }
}

export function createSqsDouble(): SqsDouble {
  return new SqsDouble();
}
