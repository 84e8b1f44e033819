import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/sns-topic/adapter";
import collector from "../../../shared/sweep/collectors/sns-topics";
import { ACCOUNT_ID } from "../../support/local-aws/sns";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  REGION,
  verdicts,
  violated,
} from "./data-context";

describe("SNS topics collector (against the local SNS double)", () => {
  let aws: LocalAws;
  let sns: SNSClient;

  beforeEach(async () => {
    aws = await startLocalAws();
    sns = new SNSClient({ endpoint: aws.endpoint, region: REGION, credentials, maxAttempts: 1 });
  });
  afterEach(async () => {
    sns.destroy();
    await aws.close();
  });

  const createTopic = async (name: string, kmsKey?: string) =>
    (
      await sns.send(
        new CreateTopicCommand({ Name: name, ...(kmsKey ? { Attributes: { KmsMasterKeyId: kmsKey } } : {}) }),
      )
    ).TopicArn ?? "";
  const context = () => collectContext({ sns }, { account: ACCOUNT_ID });

  it("pages ListTopics, reads each topic's key and yields every topic once", async () => {
    aws.sns.listTopicsPageSize = 2;
    const arns = [
      await createTopic("order-alerts"),
      await createTopic("billing", "alias/billing"),
      await createTopic("audit.fifo", "alias/aws/sns"),
    ];
    const found = await collectAll(collector, context());

    expect(aws.calls("sns", "ListTopics").map((c) => c.params?.NextToken ?? null)).toEqual([null, "2"]);
    expect(aws.calls("sns", "GetTopicAttributes").map((c) => c.params?.TopicArn)).toEqual(arns);
    expect(found.map((o) => o.resource.id)).toEqual(arns);
    expect(found.map((o) => o.state?.kmsMasterKeyId)).toEqual([null, "alias/billing", "alias/aws/sns"]);
    expect(found.every((o) => o.complete && !o.tagsKnown)).toBe(true);
    expect(found.map(violated)).toEqual([["SNS.1"], [], []]);
  });

  it("judges a topic as its Config item is judged, with or without a key", async () => {
    for (const [file, key, expected] of [
      ["sns/config-item-topic-unencrypted.json", undefined, ["SNS.1"]],
      ["sns/config-item-topic-kms.json", "alias/aws/sns", []],
    ] as const) {
      await aws.close();
      aws = await startLocalAws();
      sns.destroy();
      sns = new SNSClient({ endpoint: aws.endpoint, region: REGION, credentials, maxAttempts: 1 });
      await createTopic("order-alerts", key);
      const [swept] = await collectAll(collector, context());
      const fromConfig = adapter.fromConfigItem(configItemOf(file, { "111122223333": ACCOUNT_ID }));
      expect(swept?.resource).toEqual(fromConfig.resource);
      const { tags: _tags, ...configState } = fromConfig.state ?? { topicArn: "", topicName: "" };
      expect(swept?.state).toEqual(configState);
      expect(violated(fromConfig)).toEqual(expected);
      expect(verdicts(swept!)).toEqual(verdicts(fromConfig));
    }
  });

  it("names exactly the read actions it makes", () => {
    expect(collector.iamActions).toEqual(["sns:ListTopics", "sns:GetTopicAttributes"]);
  });
});
