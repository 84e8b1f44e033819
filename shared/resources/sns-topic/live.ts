import type { SNSClient } from "@aws-sdk/client-sns";
import { errorName } from "../../aws/errors";
import { loadSns } from "../../aws/sdk";
import type { SnsTopicState } from "./state";

/** GetTopicAttributes says NotFound; the tagging API says ResourceNotFound. */
const GONE = new Set(["NotFoundException", "ResourceNotFoundException"]);

/** The topic's KMS key as SNS reports it now, or undefined when the topic is gone. */
export async function readTopicEncryption(
  sns: SNSClient,
  known: SnsTopicState,
): Promise<SnsTopicState | undefined> {
  const { GetTopicAttributesCommand } = await loadSns();
  try {
    const out = await sns.send(new GetTopicAttributesCommand({ TopicArn: known.topicArn }));
    const key = out.Attributes?.KmsMasterKeyId;
    // SNS leaves the attribute out when the topic has no key.
    return { topicArn: known.topicArn, topicName: known.topicName, kmsMasterKeyId: key?.trim() ? key : null };
  } catch (error) {
    if (GONE.has(errorName(error))) return undefined;
    throw error;
  }
}

export async function readTopicTags(sns: SNSClient, topicArn: string): Promise<Record<string, string>> {
  const { ListTagsForResourceCommand } = await loadSns();
  try {
    const out = await sns.send(new ListTagsForResourceCommand({ ResourceArn: topicArn }));
    return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key, t.Value]));
  } catch (error) {
    if (GONE.has(errorName(error))) return {};
    throw error;
  }
}
