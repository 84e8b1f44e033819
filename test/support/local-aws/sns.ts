import { randomUUID } from "node:crypto";
import { AwsError, el, members, raw, type Params } from "./query";

/** SNS topics and published messages in memory, in the AWS query protocol. */

export const SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
export const ACCOUNT_ID = "000000000000";
/** SNS's limit on a message, counting the body and the attributes' names, types and values. */
export const SNS_MAX_BYTES = 256 * 1024;

export interface SnsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface SnsMessage {
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageAttributes: Record<string, SnsMessageAttribute>;
}

function invalidParameter(what: string): AwsError {
  return new AwsError("InvalidParameter", `Invalid parameter: ${what}`);
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
function messageAttributes(params: Params): Record<string, SnsMessageAttribute> {
  const attributes: Record<string, SnsMessageAttribute> = {};
  for (const entry of members(params, "MessageAttributes.entry")) {
    const name = entry.Name;
    const dataType = entry["Value.DataType"];
    if (!name || !dataType)
      throw new AwsError("InvalidParameterValue", `The message attribute '${name}' must contain a data type`);
    if (!/^(String|Number|Binary)(\..+)?$/.test(dataType))
      throw new AwsError(
        "InvalidParameterValue",
        `The message attribute '${name}' has an invalid type '${dataType}'`,
      );
    const value = dataType.startsWith("Binary") ? entry["Value.BinaryValue"] : entry["Value.StringValue"];
    if (value === undefined || value === "")
      throw new AwsError(
        "InvalidParameterValue",
        `The message attribute '${name}' must contain a non-empty value`,
      );
    if (dataType === "String.Array") {
      let array: unknown;
      try {
        array = JSON.parse(value);
      } catch {
        array = undefined;
      }
      if (!Array.isArray(array))
        throw new AwsError("InvalidParameterValue", `The message attribute '${name}' must be a JSON array`);
    }
    attributes[name] = {
      DataType: dataType,
      ...(dataType.startsWith("Binary") ? { BinaryValue: value } : { StringValue: value }),
    };
  }
  return attributes;
}

/** SNS: ASCII, starts with a letter, digit or punctuation, no line breaks or control characters, under 100. */
function checkSubject(subject: string): void {
  if (!subject.length || subject.length >= 100 || !/^[\x21-\x7e][\x20-\x7e]*$/.test(subject))
    throw invalidParameter("Subject");
}

export class SnsState {
  readonly topics = new Set<string>();
  /** Each topic's attributes set at creation (e.g. `KmsMasterKeyId`), by topic ARN. */
  readonly topicAttributes = new Map<string, Record<string, string>>();
  readonly messages: SnsMessage[] = [];
  /** Topics per ListTopics page: SNS answers 100; tests lower it to see more than one page. */
  listTopicsPageSize = 100;

  /** Handles one query-protocol request; returns the XML body or throws an AwsError. */
  handle(action: string, params: Params, requestId: string, region: string): string {
    let result: string;
    switch (action) {
      case "CreateTopic": {
        const name = params.Name ?? "";
        if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name)) throw invalidParameter("Topic Name");
        const arn = `arn:aws:sns:${region}:${ACCOUNT_ID}:${name}`;
        this.topics.add(arn);
        const attributes = Object.fromEntries(
          members(params, "Attributes.entry").map((e) => [e.key ?? "", e.value ?? ""] as const),
        );
        if (!this.topicAttributes.has(arn)) this.topicAttributes.set(arn, attributes);
        result = el("TopicArn", arn);
        break;
      }
      case "ListTopics": {
        // The token is the index of the page's first topic, in creation order.
        const all = [...this.topics];
        const start = params.NextToken ? Number(params.NextToken) : 0;
        if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalidParameter("NextToken");
        const end = start + this.listTopicsPageSize;
        const page = all.slice(start, end).map((arn) => raw("member", el("TopicArn", arn)));
        result = raw("Topics", page.join("")) + (end < all.length ? el("NextToken", String(end)) : "");
        break;
      }
      case "GetTopicAttributes": {
        const topicArn = params.TopicArn ?? "";
        if (!this.topics.has(topicArn)) throw new AwsError("NotFound", "Topic does not exist", 404);
        // SNS leaves KmsMasterKeyId out for a topic without a key.
        const attributes = { TopicArn: topicArn, ...this.topicAttributes.get(topicArn) };
        const entries = Object.entries(attributes).map(([k, v]) =>
          raw("entry", el("key", k) + el("value", v)),
        );
        result = raw("Attributes", entries.join(""));
        break;
      }
      case "Publish": {
        const topicArn = params.TopicArn ?? params.TargetArn;
        if (!topicArn)
          throw invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
        if (!this.topics.has(topicArn)) throw new AwsError("NotFound", "Topic does not exist", 404);
        const message = params.Message;
        if (!message) throw invalidParameter("Empty message");
        if (params.Subject !== undefined) checkSubject(params.Subject);
        const attributes = messageAttributes(params);
        const size = [
          message,
          ...Object.entries(attributes).flatMap(([k, a]) => [
            k,
            a.DataType,
            a.StringValue ?? a.BinaryValue ?? "",
          ]),
        ]
          .map((part) => Buffer.byteLength(part, "utf8"))
          .reduce((a, b) => a + b, 0);
        if (size > SNS_MAX_BYTES) throw invalidParameter("Message too long");
        const messageId = randomUUID();
        this.messages.push({
          MessageId: messageId,
          TopicArn: topicArn,
          ...(params.Subject !== undefined ? { Subject: params.Subject } : {}),
          Message: message,
          MessageAttributes: attributes,
        });
        result = el("MessageId", messageId);
        break;
      }
      default:
        throw new AwsError("InvalidAction", `Unrecognized action ${action}`);
    }
    const metadata = raw("ResponseMetadata", el("RequestId", requestId));
    return `<${action}Response xmlns="${SNS_NAMESPACE}">${raw(`${action}Result`, result)}${metadata}</${action}Response>`;
  }
}

export function snsErrorXml(error: AwsError, requestId: string): string {
  const type = error.status >= 500 ? "Receiver" : "Sender";
  const detail = el("Type", type) + el("Code", error.code) + el("Message", error.message);
  return `<ErrorResponse xmlns="${SNS_NAMESPACE}"><Error>${detail}</Error>${el("RequestId", requestId)}</ErrorResponse>`;
}
