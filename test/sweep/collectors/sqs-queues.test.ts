import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
  type ListQueuesCommandInput,
  type ListQueuesCommandOutput,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/sqs-queue/adapter";
import defaultCollector, { sqsQueuesCollector } from "../../../shared/sweep/collectors/sqs-queues";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  pagedAnswers,
  REGION,
  verdicts,
  violated,
} from "./data-context";

const sqs = new SQSClient({ region: REGION, credentials });
const mock = mockClient(sqs);
afterEach(() => mock.reset());

const url = (name: string) => `https://sqs.us-east-1.amazonaws.com/111122223333/${name}`;
const ATTRIBUTES = ["KmsMasterKeyId", "SqsManagedSseEnabled"];

describe("SQS queues collector", () => {
  it("pages ListQueues, reads each queue's encryption and yields every queue once", async () => {
    const pages = pagedAnswers<ListQueuesCommandInput, ListQueuesCommandOutput>("NextToken", {
      "": { QueueUrls: [url("orders-events"), url("billing")], NextToken: "t2" },
      t2: { QueueUrls: [url("gone"), url("audit.fifo")] },
    });
    mock.on(ListQueuesCommand).callsFake(pages.answer);
    mock
      .on(GetQueueAttributesCommand, { QueueUrl: url("orders-events") })
      .resolves({ Attributes: { SqsManagedSseEnabled: "false" } })
      .on(GetQueueAttributesCommand, { QueueUrl: url("billing") })
      .resolves({ Attributes: { KmsMasterKeyId: "alias/billing", SqsManagedSseEnabled: "false" } })
      .on(GetQueueAttributesCommand, { QueueUrl: url("gone") })
      .rejects(Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist" }))
      .on(GetQueueAttributesCommand, { QueueUrl: url("audit.fifo") })
      .resolves({ Attributes: { SqsManagedSseEnabled: "true" } });
    const found = await collectAll(sqsQueuesCollector(2), collectContext({ sqs }));

    expect(pages.seen).toEqual([{ MaxResults: 2 }, { MaxResults: 2, NextToken: "t2" }]);
    expect(mock.commandCalls(GetQueueAttributesCommand).map((c) => c.args[0].input)).toEqual(
      ["orders-events", "billing", "gone", "audit.fifo"].map((name) => ({
        QueueUrl: url(name),
        AttributeNames: ATTRIBUTES,
      })),
    );
    // The queue deleted after the listing is skipped, not an error.
    expect(found.map((o) => o.resource.name)).toEqual(["orders-events", "billing", "audit.fifo"]);
    expect(found.every((o) => o.complete && !o.tagsKnown)).toBe(true);
    expect(found.map(violated)).toEqual([["SQS.1"], [], []]);
  });

  it("judges a queue as its Config item is judged", async () => {
    mock.on(ListQueuesCommand).resolves({ QueueUrls: [url("orders-events")] });
    mock.on(GetQueueAttributesCommand).resolves({ Attributes: { SqsManagedSseEnabled: "false" } });
    const [swept] = await collectAll(defaultCollector, collectContext({ sqs }));
    const fromConfig = adapter.fromConfigItem(configItemOf("sqs/config-item-queue-unencrypted.json"));

    expect(swept?.resource).toEqual(fromConfig.resource);
    const { tags: _tags, ...configState } = fromConfig.state ?? {};
    expect(swept?.state).toEqual(configState);
    expect(violated(fromConfig)).toEqual(["SQS.1"]);
    expect(verdicts(swept!)).toEqual(verdicts(fromConfig));
    expect(defaultCollector.iamActions).toEqual(["sqs:ListQueues", "sqs:GetQueueAttributes"]);
  });

  it("fails the unit on any other error", async () => {
    mock.on(ListQueuesCommand).resolves({ QueueUrls: [url("orders-events")] });
    mock.on(GetQueueAttributesCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    await expect(collectAll(defaultCollector, collectContext({ sqs }))).rejects.toThrow("denied");
  });
});
