import { GetQueueAttributesCommand, ListQueueTagsCommand } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { QUEUE, awsError, idFor, sqsEvent, statuses } from "./support";

const noTags = (t: TestRuntime) => t.sqs.on(ListQueueTagsCommand).resolves({});
const live = (t: TestRuntime, attributes: Record<string, string>) =>
  t.sqs.on(GetQueueAttributesCommand).resolves({ Attributes: attributes });
const liveReads = (t: TestRuntime) =>
  t.sqs.commandCalls(GetQueueAttributesCommand).map((c) => c.args[0].input);

describe("SQS.1 queue encryption at rest through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: the console turning both SSE-SQS and the KMS key off opens SQS.1 from the event alone", async () => {
    t = await testRuntime();
    noTags(t);
    const report = await processEvent(sqsEvent("SetQueueAttributes-console-encryption-off"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(liveReads(t)).toEqual([]);
    expect(t.sqs.commandCalls(ListQueueTagsCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE.url },
    ]);
    expect(await t.runtime.store.get(idFor("SQS.1", QUEUE.arn))).toMatchObject({
      status: "OPEN",
      severity: "MEDIUM",
      controls: ["FSBP SQS.1"],
      resource: { type: "AWS::SQS::Queue", id: QUEUE.arn, arn: QUEUE.arn, name: "orders-events" },
      evidence: [{ queueArn: QUEUE.arn, sqsManagedSseEnabled: false, kmsMasterKeyId: null }],
      actor: { sourceIp: "198.51.100.23", fromConsole: true },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: the console turning SSE-SQS back on (with an empty key) resolves it, without a read", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(sqsEvent("SetQueueAttributes-console-encryption-off"), t.runtime);
    const back = sqsEvent("SetQueueAttributes-console-encryption-off");
    back.id = "1f3a5c7e-9b0d-4f24-8a6c-3e5a7c9e1b35";
    Object.assign(back.detail, {
      eventID: "7c9e1a3c-5e6a-4c8e-9a0c-2e4a6c8e0a57",
      eventTime: "2025-03-18T14:40:02Z",
    });
    const request = back.detail.requestParameters as { attributes: Record<string, string> };
    request.attributes.SqsManagedSseEnabled = "true";
    await processEvent(back, t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "RESOLVED"]]);
    expect(liveReads(t)).toEqual([]);
  });

  it("CreateQueue with SSE-SQS off is confirmed live (CreateQueue is idempotent), then opens SQS.1", async () => {
    t = await testRuntime();
    noTags(t);
    live(t, { SqsManagedSseEnabled: "false" });
    await processEvent(sqsEvent("CreateQueue-sse-disabled"), t.runtime);
    expect(liveReads(t)).toEqual([
      { QueueUrl: QUEUE.url, AttributeNames: ["KmsMasterKeyId", "SqsManagedSseEnabled"] },
    ]);
    expect(await statuses(t)).toEqual([["SQS.1", "OPEN"]]);
  });

  it("no false positive: SSE-SQS off on an existing queue that has a KMS key is compliant", async () => {
    t = await testRuntime();
    live(t, { SqsManagedSseEnabled: "false", KmsMasterKeyId: "alias/orders-queues" });
    await processEvent(sqsEvent("CreateQueue-sse-disabled"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(liveReads(t)).toHaveLength(1);
    expect(t.sqs.commandCalls(ListQueueTagsCommand)).toHaveLength(0);
  });

  it("compliant: a CreateQueue with defaults gets SSE-SQS (read live) and opens nothing", async () => {
    t = await testRuntime();
    live(t, { SqsManagedSseEnabled: "true" });
    await processEvent(sqsEvent("CreateQueue-defaults"), t.runtime);
    expect(liveReads(t)).toHaveLength(1);
    expect(await statuses(t)).toEqual([]);
  });

  it("non-compliant: a CreateQueue with defaults that SQS reports unencrypted (e.g. a non-TLS endpoint)", async () => {
    t = await testRuntime();
    noTags(t);
    live(t, { SqsManagedSseEnabled: "false" });
    await processEvent(sqsEvent("CreateQueue-defaults"), t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "OPEN"]]);
  });

  it("undecided: SQS doesn't report SqsManagedSseEnabled and there is no key: nothing opens", async () => {
    t = await testRuntime();
    live(t, {});
    await processEvent(sqsEvent("CreateQueue-defaults"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(liveReads(t)).toHaveLength(1);
  });

  it("compliant: a CreateQueue with a KMS key settles it without any read", async () => {
    t = await testRuntime();
    await processEvent(sqsEvent("CreateQueue-kms"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.sqs.calls()).toHaveLength(0);
  });

  it("removing the KMS key is read live: SSE-SQS off => open; SSE-SQS on => nothing", async () => {
    t = await testRuntime();
    noTags(t);
    live(t, { SqsManagedSseEnabled: "false" });
    await processEvent(sqsEvent("SetQueueAttributes-remove-kms-key"), t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "OPEN"]]);
    await t.close();

    t = await testRuntime();
    live(t, { SqsManagedSseEnabled: "true" });
    await processEvent(sqsEvent("SetQueueAttributes-remove-kms-key"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });

  it("not applicable: changing other attributes judges nothing and reads nothing", async () => {
    t = await testRuntime();
    const report = await processEvent(sqsEvent("SetQueueAttributes-visibility-timeout"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect(t.sqs.calls()).toHaveLength(0);
  });

  it("DeleteQueue resolves the open finding; so does a queue found gone on the live read", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(sqsEvent("SetQueueAttributes-console-encryption-off"), t.runtime);
    await processEvent(sqsEvent("DeleteQueue"), t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "RESOLVED"]]);
    await t.close();

    t = await testRuntime();
    noTags(t);
    await processEvent(sqsEvent("SetQueueAttributes-console-encryption-off"), t.runtime);
    t.sqs.on(GetQueueAttributesCommand).rejects(awsError("QueueDoesNotExist"));
    await processEvent(sqsEvent("SetQueueAttributes-remove-kms-key"), t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "RESOLVED"]]);
  });

  it("Config items: SSE-SQS off with no key opens; SSE-SQS turned on later resolves (same finding as CloudTrail)", async () => {
    t = await testRuntime();
    await processEvent(sqsEvent("config-item-queue-unencrypted"), t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "OPEN"]]);
    await processEvent(sqsEvent("config-item-queue-sse-sqs"), t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "RESOLVED"]]);
    expect(t.sqs.calls()).toHaveLength(0);
  });

  it("not applicable: a queue tagged exempt is suppressed", async () => {
    t = await testRuntime();
    t.sqs.on(ListQueueTagsCommand).resolves({ Tags: { "vigil:exempt": "SQS.1" } });
    await processEvent(sqsEvent("SetQueueAttributes-console-encryption-off"), t.runtime);
    expect(await statuses(t)).toEqual([["SQS.1", "SUPPRESSED"]]);
  });

  it("without AWS access a call that must be read live is skipped (ignored), not guessed", async () => {
    t = await testRuntime();
    const report = await processEvent(sqsEvent("CreateQueue-defaults"), {
      ...t.runtime,
      readClients: undefined,
    });
    expect(report.outcome).toBe("ignored");
    expect(await statuses(t)).toEqual([]);
  });

  it("a throttled live read fails the event so it is retried", async () => {
    t = await testRuntime();
    t.sqs.on(GetQueueAttributesCommand).rejects(awsError("ThrottlingException", { $retryable: {} }));
    await expect(processEvent(sqsEvent("CreateQueue-defaults"), t.runtime)).rejects.toThrow(
      /ThrottlingException/,
    );
  });

  it.each([
    [
      "a queue URL that is no queue",
      (d: Record<string, unknown>) =>
        (d.requestParameters = { queueUrl: "orders", attributes: { KmsMasterKeyId: "" } }),
    ],
    [
      "no queueUrl",
      (d: Record<string, unknown>) => (d.requestParameters = { attributes: { KmsMasterKeyId: "" } }),
    ],
    [
      "a KmsMasterKeyId that is not text",
      (d: Record<string, unknown>) =>
        (d.requestParameters = {
          queueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/q",
          attributes: { KmsMasterKeyId: 7 },
        }),
    ],
  ])("malformed SetQueueAttributes (%s) is invalid and changes nothing", async (_, change) => {
    t = await testRuntime();
    const event = sqsEvent("SetQueueAttributes-console-encryption-off");
    change(event.detail);
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.sqs.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });

  it("malformed CreateQueue (no queueUrl in the answer) is invalid", async () => {
    t = await testRuntime();
    const event = sqsEvent("CreateQueue-sse-disabled");
    event.detail.responseElements = null;
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
  });
});
