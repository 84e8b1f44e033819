import type { ResourceAdapter } from "./adapter";
import securityGroup from "./security-group/adapter";
import type { ResourceType } from "./states";

/** How each resource type is read from events. Adding a resource type = one adapter folder + one line here. */
export const resourceAdapters: readonly ResourceAdapter[] = [securityGroup];

export function adapterFor(resourceType: string): ResourceAdapter | undefined {
  return resourceAdapters.find((adapter) => adapter.resourceType === (resourceType as ResourceType));
}
