import type { Instance } from "@aws-sdk/client-ec2";
import { loadEc2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { ENDING_STATES } from "../../resources/ec2-instance/from-config";
import { tagsOf } from "../../resources/ec2-instance/live";
import { INSTANCE_TYPE, instanceRef } from "../../resources/ec2-instance/ref";
import type { Ec2InstanceState, PublicIpv4 } from "../../resources/ec2-instance/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeInstances takes 5 to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/**
 * The public IPv4 address as the Config item path reads it (the instance's own, or one on an
 * interface). A `pending` instance may not show its address yet: unknown then, not "none", so a
 * launch in progress neither passes nor fails EC2.9 (the launch event's refresh judges it).
 */
function publicIpv4(instance: Instance): PublicIpv4 | null | undefined {
  const address =
    instance.PublicIpAddress ??
    instance.NetworkInterfaces?.find((ni) => ni.Association?.PublicIp)?.Association?.PublicIp;
  if (address) return { source: "instance", address };
  return instance.State?.Name === "pending" ? undefined : null;
}

/** The instance as the Config item path states it: IMDS settings, public address, placement, tags. */
export function stateFromInstance(instance: Instance & { InstanceId: string }): Ec2InstanceState {
  const options = instance.MetadataOptions;
  const ip = publicIpv4(instance);
  return {
    instanceId: instance.InstanceId,
    ...(instance.SubnetId ? { subnetId: instance.SubnetId } : {}),
    ...(instance.VpcId ? { vpcId: instance.VpcId } : {}),
    ...(options
      ? {
          metadataOptions: {
            ...(options.HttpTokens ? { httpTokens: options.HttpTokens } : {}),
            ...(options.HttpEndpoint ? { httpEndpoint: options.HttpEndpoint } : {}),
          },
        }
      : {}),
    ...(ip !== undefined ? { publicIpv4: ip } : {}),
    tags: tagsOf(instance),
  };
}

/**
 * Every instance of the Region that is not ending: terminated (and shutting-down) instances stay
 * listed for a while but have nothing left to judge; not yielding them lets the sweep close their
 * findings as deleted, as the Config item path resolves them.
 */
export function ec2InstancesCollector(pageSize = PAGE_SIZE): Collector<"AWS::EC2::Instance"> {
  return defineCollector({
    resourceType: INSTANCE_TYPE,
    scope: "regional",
    iamActions: ["ec2:DescribeInstances"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EC2::Instance">> {
      const [ec2, { paginateDescribeInstances }] = await Promise.all([ctx.clients.ec2(), loadEc2()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateDescribeInstances({ client: ec2 }, { MaxResults: pageSize })) {
        for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
          const instanceId = instance.InstanceId;
          if (!instanceId || ENDING_STATES.includes(instance.State?.Name ?? "")) continue;
          yield {
            resource: instanceRef(instanceId, ctx.account, ctx.region),
            state: stateFromInstance({ ...instance, InstanceId: instanceId }),
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default ec2InstancesCollector();
