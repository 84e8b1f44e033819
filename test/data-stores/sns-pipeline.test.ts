import { GetTopicAttributesCommand, ListTagsForResourceCommand } from "@aws-sdk/client-sns";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { TOPIC_ARN, awsError, idFor, snsEvent, statuses } from "./support";

const noTags = (t: TestRuntime) => t.sns.on(ListTagsForResourceCommand).resolves({ Tags: [] });
const liveReads = (t: TestRuntime) =>
  t.sns.commandCalls(GetTopicAttributesCommand).map((c) => c.args[0].input);

describe("SNS.1 topic encryption through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: removing the topic's KMS key opens SNS.1 from the event alone", async () => {
    t = await testRuntime();
    noTags(t);
    const report = await processEvent(snsEvent("SetTopicAttributes-remove-kms-key"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(liveReads(t)).toEqual([]);
    expect(t.sns.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArn: TOPIC_ARN },
    ]);
    expect(await t.runtime.store.get(idFor("SNS.1", TOPIC_ARN))).toMatchObject({
      status: "OPEN",
      severity: "MEDIUM",
      controls: ["SecurityHub SNS.1"],
      resource: { type: "AWS::SNS::Topic", id: TOPIC_ARN, name: "order-alerts" },
      evidence: [{ topicArn: TOPIC_ARN, kmsMasterKeyId: null }],
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: setting a key back resolves it", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(snsEvent("SetTopicAttributes-remove-kms-key"), t.runtime);
    await processEvent(snsEvent("SetTopicAttributes-set-kms-key"), t.runtime);
    expect(await statuses(t)).toEqual([["SNS.1", "RESOLVED"]]);
  });

  it("CreateTopic without a key is confirmed live: no key => open", async () => {
    t = await testRuntime();
    noTags(t);
    t.sns
      .on(GetTopicAttributesCommand)
      .resolves({ Attributes: { TopicArn: TOPIC_ARN, Owner: "111122223333" } });
    await processEvent(snsEvent("CreateTopic-no-key"), t.runtime);
    expect(liveReads(t)).toEqual([{ TopicArn: TOPIC_ARN }]);
    expect(await statuses(t)).toEqual([["SNS.1", "OPEN"]]);
  });

  it("no false positive: CreateTopic without a key that returned an existing encrypted topic", async () => {
    t = await testRuntime();
    t.sns
      .on(GetTopicAttributesCommand)
      .resolves({ Attributes: { TopicArn: TOPIC_ARN, KmsMasterKeyId: "alias/aws/sns" } });
    await processEvent(snsEvent("CreateTopic-no-key"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(liveReads(t)).toEqual([{ TopicArn: TOPIC_ARN }]);
  });

  it("compliant: CreateTopic with a key settles it without any read", async () => {
    t = await testRuntime();
    await processEvent(snsEvent("CreateTopic-kms"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.sns.calls()).toHaveLength(0);
  });

  it("not applicable: other topic attributes judge nothing", async () => {
    t = await testRuntime();
    const event = snsEvent("SetTopicAttributes-remove-kms-key");
    event.detail.requestParameters = {
      topicArn: TOPIC_ARN,
      attributeName: "DisplayName",
      attributeValue: "",
    };
    expect(await processEvent(event, t.runtime)).toMatchObject({ outcome: "processed", resources: [] });
    expect(t.sns.calls()).toHaveLength(0);
  });

  it("DeleteTopic resolves; a topic gone on the live read opens nothing", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(snsEvent("SetTopicAttributes-remove-kms-key"), t.runtime);
    await processEvent(snsEvent("DeleteTopic"), t.runtime);
    expect(await statuses(t)).toEqual([["SNS.1", "RESOLVED"]]);
    await t.close();

    t = await testRuntime();
    t.sns.on(GetTopicAttributesCommand).rejects(awsError("NotFoundException"));
    await processEvent(snsEvent("CreateTopic-no-key"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });

  it("Config items: no key opens, a key resolves, with no reads", async () => {
    t = await testRuntime();
    await processEvent(snsEvent("config-item-topic-unencrypted"), t.runtime);
    expect(await statuses(t)).toEqual([["SNS.1", "OPEN"]]);
    await processEvent(snsEvent("config-item-topic-kms"), t.runtime);
    expect(await statuses(t)).toEqual([["SNS.1", "RESOLVED"]]);
    expect(t.sns.calls()).toHaveLength(0);
  });

  it("not applicable: a topic tagged exempt is suppressed", async () => {
    t = await testRuntime();
    t.sns.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "SNS.1" }] });
    await processEvent(snsEvent("SetTopicAttributes-remove-kms-key"), t.runtime);
    expect(await statuses(t)).toEqual([["SNS.1", "SUPPRESSED"]]);
  });

  it.each([
    [
      "a topic ARN that is no topic",
      { topicArn: "order-alerts", attributeName: "KmsMasterKeyId", attributeValue: "" },
    ],
    ["no topicArn", { attributeName: "KmsMasterKeyId", attributeValue: "" }],
  ])("malformed SetTopicAttributes (%s) is invalid and changes nothing", async (_, requestParameters) => {
    t = await testRuntime();
    const event = snsEvent("SetTopicAttributes-remove-kms-key");
    event.detail.requestParameters = requestParameters;
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.sns.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});
