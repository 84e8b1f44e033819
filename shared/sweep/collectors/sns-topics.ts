import { loadSns } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { readTopicEncryption } from "../../resources/sns-topic/live";
import { SNS_TOPIC_TYPE, topicRef } from "../../resources/sns-topic/ref";
import { defineCollector, type CollectContext } from "../collector";

/**
 * Every SNS topic of the Region with its KMS key (GetTopicAttributes), the state the adapter's live
 * read gives. ListTopics pages by 100 and takes no page size. A topic deleted after the listing is
 * skipped. Tags are read by the pipeline only for a topic that violates something.
 */
export default defineCollector({
  resourceType: SNS_TOPIC_TYPE,
  scope: "regional",
  iamActions: ["sns:ListTopics", "sns:GetTopicAttributes"],
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::SNS::Topic">> {
    const [sns, { paginateListTopics }] = await Promise.all([ctx.clients.sns(), loadSns()]);
    const observedAt = ctx.now.toISOString();
    for await (const page of paginateListTopics({ client: sns }, {})) {
      for (const topic of page.Topics ?? []) {
        const resource = topic.TopicArn ? topicRef(topic.TopicArn) : undefined;
        if (!resource) {
          ctx.logger.warn("ListTopics answered an entry that names no topic; skipped", {
            topicArn: topic.TopicArn ?? null,
          });
          continue;
        }
        const state = await readTopicEncryption(sns, {
          topicArn: resource.arn,
          topicName: resource.name ?? resource.id,
        });
        if (!state) continue;
        yield { resource, state, complete: true, observedAt, tagsKnown: false };
      }
    }
  },
});
