import type { IpPermission, SecurityGroup } from "@aws-sdk/client-ec2";
import { loadEc2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { tagsOf } from "../../resources/security-group/from-ec2-api";
import { SECURITY_GROUP_TYPE, securityGroupRef } from "../../resources/security-group/ref";
import { makeRule } from "../../resources/security-group/rule-factory";
import type { IngressRule, SecurityGroupState } from "../../resources/security-group/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeSecurityGroups takes 5 to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/**
 * One permission's rules, one per source, in the order the Config item path builds them (IPv4,
 * IPv6, prefix lists, groups), so both paths give the same state and the same evidence.
 */
function permissionRules(p: IpPermission): IngressRule[] {
  const base = { protocol: p.IpProtocol, fromPort: p.FromPort, toPort: p.ToPort };
  const rules: IngressRule[] = [];
  for (const r of p.IpRanges ?? []) {
    if (r.CidrIp)
      rules.push(
        makeRule({ ...base, source: { kind: "cidr4", cidr: r.CidrIp }, description: r.Description }),
      );
  }
  for (const r of p.Ipv6Ranges ?? []) {
    if (r.CidrIpv6)
      rules.push(
        makeRule({ ...base, source: { kind: "cidr6", cidr: r.CidrIpv6 }, description: r.Description }),
      );
  }
  for (const r of p.PrefixListIds ?? []) {
    if (r.PrefixListId)
      rules.push(
        makeRule({
          ...base,
          source: { kind: "prefix-list", prefixListId: r.PrefixListId },
          description: r.Description,
        }),
      );
  }
  for (const g of p.UserIdGroupPairs ?? []) {
    if (g.GroupId)
      rules.push(
        makeRule({
          ...base,
          source: { kind: "group", groupId: g.GroupId, userId: g.UserId },
          description: g.Description,
        }),
      );
  }
  return rules;
}

/**
 * The whole group as the Config item path states it: name (EC2.2 needs `default`), VPC, owner,
 * tags and every rule of both directions. DescribeSecurityGroups gives no rule ids, as Config
 * doesn't: the remediations match rules by value, and the default-group one reads the network
 * interfaces that use the group itself, when it applies.
 */
export function stateFromGroup(group: SecurityGroup & { GroupId: string }): SecurityGroupState {
  return {
    groupId: group.GroupId,
    ...(group.GroupName ? { groupName: group.GroupName } : {}),
    ...(group.VpcId ? { vpcId: group.VpcId } : {}),
    ...(group.OwnerId ? { ownerId: group.OwnerId } : {}),
    tags: tagsOf(group.Tags),
    ingress: (group.IpPermissions ?? []).flatMap(permissionRules),
    ...(group.IpPermissionsEgress ? { egress: group.IpPermissionsEgress.flatMap(permissionRules) } : {}),
  };
}

/** Every security group of the Region, one page of up to `pageSize` groups per call. */
export function securityGroupsCollector(pageSize = PAGE_SIZE): Collector<"AWS::EC2::SecurityGroup"> {
  return defineCollector({
    resourceType: SECURITY_GROUP_TYPE,
    scope: "regional",
    iamActions: ["ec2:DescribeSecurityGroups"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EC2::SecurityGroup">> {
      const [ec2, { paginateDescribeSecurityGroups }] = await Promise.all([ctx.clients.ec2(), loadEc2()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, { MaxResults: pageSize })) {
        for (const group of page.SecurityGroups ?? []) {
          const groupId = group.GroupId;
          if (!groupId) continue;
          yield {
            resource: securityGroupRef(groupId, ctx.account, ctx.region, group.GroupName),
            state: stateFromGroup({ ...group, GroupId: groupId }),
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default securityGroupsCollector();
