import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { z } from "zod";
import { errorName } from "../../aws/errors";
import { loadConfigService } from "../../aws/sdk";
import { ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE } from "./ref";
import type { PublicAccessBlockFlags } from "./state";

/** What the configuration was before a change, as far as AWS Config knows. */
export type PreviousConfiguration =
  | { known: true; configuration: PublicAccessBlockFlags | null; capturedAt?: string }
  | { known: false; reason: string };

/** Config writes this type's configuration in camelCase (`blockPublicAcls`, …), as a JSON string. */
const configurationSchema = z.looseObject({
  blockPublicAcls: z.boolean().optional(),
  ignorePublicAcls: z.boolean().optional(),
  blockPublicPolicy: z.boolean().optional(),
  restrictPublicBuckets: z.boolean().optional(),
});

const DELETED = new Set(["ResourceDeleted", "ResourceDeletedNotRecorded"]);

function parseConfiguration(text: string | undefined): PublicAccessBlockFlags | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
  const parsed = configurationSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const c = parsed.data;
  return {
    BlockPublicAcls: c.blockPublicAcls === true,
    IgnorePublicAcls: c.ignorePublicAcls === true,
    BlockPublicPolicy: c.blockPublicPolicy === true,
    RestrictPublicBuckets: c.restrictPublicBuckets === true,
  };
}

/**
 * The newest configuration item captured before `before` (the change's CloudTrail time). Config
 * captures a change after it happens, so the item of the change itself can't be among them. Any
 * failure (not recorded, no access, throttled) means "unknown": the caller falls back to all four on.
 */
export async function configurationBefore(
  client: ConfigServiceClient,
  accountId: string,
  before: string,
): Promise<PreviousConfiguration> {
  const { GetResourceConfigHistoryCommand } = await loadConfigService();
  let items;
  try {
    const out = await client.send(
      new GetResourceConfigHistoryCommand({
        resourceType: ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE,
        resourceId: accountId,
        laterTime: new Date(before),
        limit: 1,
      }),
    );
    items = out.configurationItems ?? [];
  } catch (error) {
    return { known: false, reason: `AWS Config history unavailable (${errorName(error) || "error"})` };
  }
  const item = items[0];
  if (!item) return { known: false, reason: "AWS Config has no earlier configuration item" };
  const capturedAt = item.configurationItemCaptureTime?.toISOString();
  const at = capturedAt ? { capturedAt } : {};
  const status = item.configurationItemStatus ?? "";
  if (DELETED.has(status)) return { known: true, configuration: null, ...at };
  if (status === "ResourceNotRecorded")
    return { known: false, reason: "AWS Config does not record this setting" };
  const configuration = parseConfiguration(item.configuration);
  if (!configuration)
    return { known: false, reason: "AWS Config's earlier configuration item is unreadable" };
  return { known: true, configuration, ...at };
}
