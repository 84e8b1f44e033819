import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { functionRef, functionTarget } from "./ref";

const configurationSchema = z.looseObject({
  functionName: z.string().optional(),
  functionArn: z.string().optional(),
});

/**
 * A Config item for a function. Config does not record environment variables, so the item only
 * says which function changed (and its tags): the configuration is read live before the checks run.
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::Lambda::Function"> {
  const raw = configurationOf(item);
  const configuration = configurationSchema.safeParse(raw ?? {});
  const named =
    item.ARN ??
    (configuration.success ? configuration.data.functionArn : undefined) ??
    item.resourceName ??
    item.resourceId;
  const target = functionTarget(named, item.awsAccountId, item.awsRegion);
  if (!target)
    throw new UnusableEventError(`Lambda function Config item: "${named}" is not a function name or ARN`);
  const base = { resource: functionRef(target), observedAt: item.configurationItemCaptureTime };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus))
    return { ...base, state: undefined, complete: true, tagsKnown: true };
  return {
    ...base,
    state: { functionName: target.functionName, functionArn: target.functionArn, tags: item.tags ?? {} },
    complete: false,
    tagsKnown: true,
    needsRefresh: true,
  };
}
