import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { stateFromDefinition } from "./definition";
import { familyRef, parseTaskDefinitionArn } from "./ref";

/** Config's PascalCase (CloudFormation-style) keys to the API's camelCase: `ReadonlyRootFilesystem` -> `readonlyRootFilesystem`. */
export function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key.charAt(0).toLowerCase() + key.slice(1), camelize(v)]),
  );
}

/**
 * A Config item is one revision, not the family: it may be an older revision than the latest
 * ACTIVE one, or a deregistered (INACTIVE) one. Like every event it is confirmed by a live read
 * of the family's latest ACTIVE revision before any check runs (`needsRefresh`), so neither can
 * open a finding; the item's own definition is kept as what it said.
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::ECS::TaskDefinition"> {
  const arnParts = parseTaskDefinitionArn(item.ARN) ?? parseTaskDefinitionArn(item.resourceId);
  const family = arnParts?.family ?? item.resourceName?.replace(/:\d+$/, "");
  if (!family) throw new UnusableEventError(`ECS task definition ${item.resourceId}: no family in the item`);
  const resource = familyRef(family, item.awsAccountId, item.awsRegion, arnParts?.partition);
  const base = {
    resource,
    observedAt: item.configurationItemCaptureTime,
    tagsKnown: false,
    needsRefresh: true,
  };
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus))
    return { ...base, state: undefined, complete: false };

  const raw = configurationOf(item);
  const configuration = camelize(raw);
  // The ARN is the item's own when the configuration leaves it out.
  const definition =
    configuration && typeof configuration === "object"
      ? { taskDefinitionArn: item.ARN ?? item.resourceId, ...configuration }
      : configuration;
  const state = stateFromDefinition(
    definition,
    `ECS task definition ${item.resourceId}: unreadable configuration`,
    item.tags ?? undefined,
  );
  return { ...base, state, complete: true };
}
