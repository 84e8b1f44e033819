import { loadEc2 } from "../aws/sdk";
import type { VigilConfig } from "../config/schema";
import type { ResourceRef } from "../core/resource";
import type { VigilLogger } from "../log";
import type { Observation, ReadClients } from "../resources/adapter";
import { isNotFound } from "../resources/security-group/from-ec2-api";
import { SECURITY_GROUP_TYPE } from "../resources/security-group/ref";
import type { Collector } from "../sweep/collector";
import { stateFromGroup } from "../sweep/collectors/security-groups";
import { partitionOf } from "../sweep/partition";

export interface CurrentStateContext {
  clients: ReadClients;
  config: VigilConfig;
  collectors: readonly Collector[];
  now: Date;
  logger: VigilLogger;
}

/**
 * The resource as it is now, whole (`complete`): an approval acts on this, never on the plan's stale
 * view, so a violation fixed meanwhile resolves instead of being "fixed" again. A resource that is
 * gone comes back with no state (its findings resolve). Undefined when Vigil can't read this type
 * on its own (no sweep collector lists it): such findings can't be approved.
 */
export async function readCurrentState(
  resource: ResourceRef,
  ctx: CurrentStateContext,
): Promise<Observation | undefined> {
  const observedAt = ctx.now.toISOString();
  const gone: Observation = { resource, state: undefined, complete: true, observedAt, tagsKnown: true };
  if (resource.type === SECURITY_GROUP_TYPE)
    return (await securityGroupNow(resource, ctx, observedAt)) ?? gone;

  // Any other type: its sweep collector's listing, which yields the state the event path builds.
  const collector = ctx.collectors.find((c) => c.resourceType === resource.type);
  if (!collector) return undefined;
  const listing = collector.collect({
    clients: ctx.clients,
    account: resource.account,
    region: resource.region,
    partition: partitionOf(resource.region),
    config: ctx.config,
    now: ctx.now,
    logger: ctx.logger,
  });
  for await (const observation of listing) {
    if (observation.resource.id === resource.id) return { ...observation, resource };
  }
  return gone;
}

/** One DescribeSecurityGroups by id: the whole group (name, tags, both directions), as the sweep states it. */
async function securityGroupNow(
  resource: ResourceRef,
  ctx: CurrentStateContext,
  observedAt: string,
): Promise<Observation | undefined> {
  const [ec2, { DescribeSecurityGroupsCommand }] = await Promise.all([ctx.clients.ec2(), loadEc2()]);
  try {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [resource.id] }));
    const group = out.SecurityGroups?.find((g) => g.GroupId === resource.id);
    if (!group) return undefined;
    return {
      resource: { ...resource, ...(group.GroupName ? { name: group.GroupName } : {}) },
      state: stateFromGroup({ ...group, GroupId: resource.id }),
      complete: true,
      observedAt,
      tagsKnown: true,
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
