import type { Subnet } from "@aws-sdk/client-ec2";
import { loadEc2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { tagsOf } from "../../resources/security-group/from-ec2-api";
import { SUBNET_TYPE, subnetRef } from "../../resources/subnet/ref";
import type { SubnetState } from "../../resources/subnet/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeSubnets takes 5 to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/** The subnet as the Config item path states it: auto-assign, default-for-AZ, VPC and tags. */
export function stateFromSubnet(subnet: Subnet & { SubnetId: string }): SubnetState {
  return {
    subnetId: subnet.SubnetId,
    ...(subnet.VpcId ? { vpcId: subnet.VpcId } : {}),
    // Always in DescribeSubnets' answer; absent would leave EC2.15 undecided, never passing.
    ...(typeof subnet.MapPublicIpOnLaunch === "boolean"
      ? { mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch }
      : {}),
    ...(typeof subnet.DefaultForAz === "boolean" ? { defaultForAz: subnet.DefaultForAz } : {}),
    tags: tagsOf(subnet.Tags),
  };
}

/** Every subnet of the Region. */
export function subnetsCollector(pageSize = PAGE_SIZE): Collector<"AWS::EC2::Subnet"> {
  return defineCollector({
    resourceType: SUBNET_TYPE,
    scope: "regional",
    iamActions: ["ec2:DescribeSubnets"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EC2::Subnet">> {
      const [ec2, { paginateDescribeSubnets }] = await Promise.all([ctx.clients.ec2(), loadEc2()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateDescribeSubnets({ client: ec2 }, { MaxResults: pageSize })) {
        for (const subnet of page.Subnets ?? []) {
          if (!subnet.SubnetId) continue;
          yield {
            resource: subnetRef(subnet.SubnetId, ctx.account, ctx.region),
            state: stateFromSubnet({ ...subnet, SubnetId: subnet.SubnetId }),
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default subnetsCollector();
