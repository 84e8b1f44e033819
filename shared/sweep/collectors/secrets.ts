import { loadSecretsManager } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { readSecret } from "../../resources/secret/live";
import { SECRET_TYPE, secretRef, secretTarget } from "../../resources/secret/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** ListSecrets takes up to 100 per page. */
const PAGE_SIZE = 100;

/**
 * Every secret of the Region (never a value: ListSecrets and DescribeSecret return metadata only),
 * each read as the event path's refresh reads it (`readSecret`: rotation settings and dates, last
 * access, tags, a rotation left pending). The unused (SecretsManager.3) and not-rotated
 * (SecretsManager.4) checks measure from `asOf`, the sweep's time: they are periodic here. A
 * rotation in progress makes the view partial, as on the event path. Secrets scheduled for
 * deletion are not listed (their findings resolve as for a deleted secret).
 */
export function secretsCollector(pageSize = PAGE_SIZE): Collector<"AWS::SecretsManager::Secret"> {
  return defineCollector({
    resourceType: SECRET_TYPE,
    scope: "regional",
    iamActions: [
      "secretsmanager:ListSecrets",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::SecretsManager::Secret">> {
      const [client, { paginateListSecrets }] = await Promise.all([
        ctx.clients.secretsManager(),
        loadSecretsManager(),
      ]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListSecrets({ client }, { MaxResults: pageSize })) {
        for (const listed of page.SecretList ?? []) {
          const target = secretTarget(listed.ARN, listed.Name);
          if (!target) continue;
          const read = await readSecret(
            client,
            { arn: target.arn, name: target.name, asOf: observedAt },
            ctx.now,
          );
          if (!read.state) continue;
          yield {
            resource: secretRef({ ...target, name: read.state.name }),
            state: read.state,
            complete: read.complete,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default secretsCollector();
