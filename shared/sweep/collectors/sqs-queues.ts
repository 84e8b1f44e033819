import { loadSqs } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { readQueueEncryption } from "../../resources/sqs-queue/live";
import { queueFromUrl, queueRef, SQS_QUEUE_TYPE } from "../../resources/sqs-queue/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** ListQueues takes up to 1000 per page, and pages only when a page size is given. */
const PAGE_SIZE = 1000;

/**
 * Every SQS queue of the Region with its encryption (GetQueueAttributes: KmsMasterKeyId,
 * SqsManagedSseEnabled), the state the adapter's live read gives. A queue deleted after the listing
 * is skipped. Tags are read by the pipeline only for a queue that violates something.
 */
export function sqsQueuesCollector(pageSize = PAGE_SIZE): Collector<"AWS::SQS::Queue"> {
  return defineCollector({
    resourceType: SQS_QUEUE_TYPE,
    scope: "regional",
    iamActions: ["sqs:ListQueues", "sqs:GetQueueAttributes"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::SQS::Queue">> {
      const [sqs, { paginateListQueues }] = await Promise.all([ctx.clients.sqs(), loadSqs()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListQueues({ client: sqs, pageSize }, {})) {
        for (const url of page.QueueUrls ?? []) {
          const queue = queueFromUrl(url, ctx.region);
          if (!queue) {
            ctx.logger.warn("ListQueues answered a URL that names no queue; skipped", { queueUrl: url });
            continue;
          }
          const state = await readQueueEncryption(sqs, queue);
          if (!state) continue;
          yield { resource: queueRef(queue), state, complete: true, observedAt, tagsKnown: false };
        }
      }
    },
  });
}

export default sqsQueuesCollector();
