import { loadEc2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { stateFromApi } from "../../resources/network-acl/from-ec2-api";
import { NETWORK_ACL_TYPE, networkAclRef } from "../../resources/network-acl/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeNetworkAcls takes 5 to 100 per page: the most, for the fewest calls. */
const PAGE_SIZE = 100;

/**
 * Every network ACL of the Region with all its entries, its default flag and tags: the state the
 * adapter's live read (and a Config item) gives, so EC2.21 judges the whole ACL and may resolve.
 */
export function networkAclsCollector(pageSize = PAGE_SIZE): Collector<"AWS::EC2::NetworkAcl"> {
  return defineCollector({
    resourceType: NETWORK_ACL_TYPE,
    scope: "regional",
    iamActions: ["ec2:DescribeNetworkAcls"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EC2::NetworkAcl">> {
      const [ec2, { paginateDescribeNetworkAcls }] = await Promise.all([ctx.clients.ec2(), loadEc2()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateDescribeNetworkAcls({ client: ec2 }, { MaxResults: pageSize })) {
        for (const acl of page.NetworkAcls ?? []) {
          if (!acl.NetworkAclId) continue;
          yield {
            resource: networkAclRef(acl.NetworkAclId, ctx.account, ctx.region),
            // Throws on an entry AWS answered without its essentials: the unit fails, nothing resolves.
            state: stateFromApi(acl),
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default networkAclsCollector();
