import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { secretRef, secretTarget } from "./ref";

const configurationSchema = z.looseObject({ ARN: z.string().optional(), Name: z.string().optional() });

/**
 * A Config item for a secret. Config records the rotation settings but not the dates the checks
 * need (last accessed, last rotated, created) nor the staged versions, so the item only says which
 * secret changed: it is read live before the checks run.
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::SecretsManager::Secret"> {
  const raw = configurationOf(item);
  const parsed = configurationSchema.safeParse(raw ?? {});
  const configuration = parsed.success ? parsed.data : {};
  const name = item.resourceName ?? configuration.Name;
  const target =
    secretTarget(item.ARN, name) ??
    secretTarget(item.resourceId, name) ??
    secretTarget(configuration.ARN, name);
  if (!target) throw new UnusableEventError(`secret Config item ${item.resourceId} names no secret ARN`);
  const base = { resource: secretRef(target), observedAt: item.configurationItemCaptureTime };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus))
    return { ...base, state: undefined, complete: true, tagsKnown: true };
  return {
    ...base,
    state: {
      arn: target.arn,
      name: target.name,
      asOf: item.configurationItemCaptureTime,
      tags: item.tags ?? {},
    },
    complete: false,
    tagsKnown: true,
    needsRefresh: true,
  };
}
