import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { z } from "zod";
import { errorName } from "../../aws/errors";
import { loadConfigService } from "../../aws/sdk";

const PENDING_DELETION = new Set(["PendingDeletion", "PendingReplicaDeletion"]);
/** How many recorded items to look through: enough to skip an earlier schedule/cancel round. */
const ITEMS = 5;

const configurationSchema = z.looseObject({ keyState: z.string().min(1) });

export type StateBefore = { keyState: string; recordedAt: string } | { unknown: string };

function keyStateOf(configuration: string | undefined): string | undefined {
  if (!configuration) return undefined;
  try {
    const parsed = configurationSchema.safeParse(JSON.parse(configuration));
    return parsed.success ? parsed.data.keyState : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key's state just before it was scheduled for deletion, as AWS Config recorded it: the newest
 * item captured at or before `before` that is not itself a pending deletion. Neither the
 * ScheduleKeyDeletion event nor KMS (the key is PendingDeletion now) says it. `unknown` says why
 * it can't be known (Config not recording keys, no access, an unreadable item): the caller then
 * assumes nothing.
 */
export async function keyStateBefore(
  configService: ConfigServiceClient,
  keyId: string,
  before: string,
): Promise<StateBefore> {
  const { GetResourceConfigHistoryCommand } = await loadConfigService();
  let items;
  try {
    const out = await configService.send(
      new GetResourceConfigHistoryCommand({
        resourceType: "AWS::KMS::Key",
        resourceId: keyId,
        laterTime: new Date(before),
        limit: ITEMS,
      }),
    );
    items = out.configurationItems ?? [];
  } catch (error) {
    return { unknown: `AWS Config history could not be read (${errorName(error) || "error"})` };
  }
  for (const item of items) {
    const keyState = keyStateOf(item.configuration);
    if (!keyState) return { unknown: "AWS Config's item for the key does not say its state" };
    if (PENDING_DELETION.has(keyState)) continue;
    return { keyState, recordedAt: item.configurationItemCaptureTime?.toISOString() ?? "unknown time" };
  }
  return { unknown: "AWS Config has no record of the key's state before the deletion was scheduled" };
}
