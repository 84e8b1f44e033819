import type { ConfigServiceClient, ConfigurationItem } from "@aws-sdk/client-config-service";
import { z } from "zod";
import { errorName } from "../../aws/errors";
import { loadConfigService } from "../../aws/sdk";
import { isTransient } from "../../pipeline/remediate";
import { TRAIL_TYPE } from "./ref";

export type PreviousKey =
  | { found: true; kmsKeyId: string; capturedAt: string; configReads: number }
  | { found: false; reason: string; configReads: number };

/** GetResourceConfigHistory answers at most 100 items a call: the trail's last 100 recorded states. */
const HISTORY_LIMIT = 100;
const RECORDED = new Set(["OK", "ResourceDiscovered"]);
const DELETED = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded"]);

/** The Config item's `configuration` (JSON text) for a trail: DescribeTrails' fields in camelCase. */
const trailConfiguration = z.looseObject({ kmsKeyId: z.string().min(1).optional() });

function keyOf(item: ConfigurationItem): string | undefined {
  try {
    const parsed = trailConfiguration.safeParse(JSON.parse(item.configuration ?? "null"));
    return parsed.success ? parsed.data.kmsKeyId : undefined;
  } catch {
    return undefined;
  }
}

async function history(
  config: ConfigServiceClient,
  resourceId: string,
  before: Date,
): Promise<ConfigurationItem[] | "not-discovered"> {
  const { GetResourceConfigHistoryCommand } = await loadConfigService();
  try {
    const out = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: TRAIL_TYPE,
        resourceId,
        laterTime: before,
        limit: HISTORY_LIMIT,
      }),
    );
    return out.configurationItems ?? [];
  } catch (error) {
    if (errorName(error) === "ResourceNotDiscoveredException") return "not-discovered";
    throw error;
  }
}

/**
 * The KMS key the trail had before `before` (the UpdateTrail call, or now for a sweep): the newest of
 * AWS Config's items captured before then that names a key, newest first (Config's order). Walking
 * stops at a deletion: a key recorded before it belonged to an earlier trail of the same name.
 *
 * Config identifies trails by name (tried first) or, in some records, by ARN: both are tried, the
 * ARN only when the name has no history. Throttling and server errors are thrown (the event is
 * retried); any other Config error makes the key unknown, with the reason.
 */
export async function previousKmsKey(
  config: ConfigServiceClient,
  trail: { trailName: string; trailArn: string },
  before: Date,
): Promise<PreviousKey> {
  let items: ConfigurationItem[] = [];
  let configReads = 0;
  try {
    for (const id of [...new Set([trail.trailName, trail.trailArn])]) {
      configReads++;
      const found = await history(config, id, before);
      if (found !== "not-discovered" && found.length) {
        items = found;
        break;
      }
    }
  } catch (error) {
    if (isTransient(error)) throw error;
    return {
      found: false,
      reason: `AWS Config's history of the trail could not be read (${errorName(error) || "an error"})`,
      configReads,
    };
  }
  const when = before.toISOString();
  if (!items.length)
    return {
      found: false,
      reason: `AWS Config has no record of trail ${trail.trailName} before ${when} (is it recording AWS::CloudTrail::Trail?)`,
      configReads,
    };
  for (const item of items) {
    const capturedAt = item.configurationItemCaptureTime?.toISOString() ?? "an unknown time";
    if (DELETED.has(item.configurationItemStatus ?? ""))
      return {
        found: false,
        reason: `AWS Config recorded the trail's deletion (${capturedAt}) and no key since: a key recorded before it was another trail's`,
        configReads,
      };
    if (!RECORDED.has(item.configurationItemStatus ?? "")) continue;
    const kmsKeyId = keyOf(item);
    if (kmsKeyId) return { found: true, kmsKeyId, capturedAt, configReads };
  }
  const never =
    items.length < HISTORY_LIMIT ? "the trail never had one to restore" : "no older record was read";
  return {
    found: false,
    reason: `none of AWS Config's ${items.length} record(s) of the trail before ${when} names a KMS key: ${never}`,
    configReads,
  };
}
