import type { EC2Client, SecurityGroupRule, Tag } from "@aws-sdk/client-ec2";
import { loadEc2 } from "../../aws/sdk";
import { makeRule } from "./rule-factory";
import type { EgressRule, IngressRule, RuleSource } from "./state";

function sourceOf(rule: SecurityGroupRule): RuleSource | undefined {
  if (rule.CidrIpv4) return { kind: "cidr4", cidr: rule.CidrIpv4 };
  if (rule.CidrIpv6) return { kind: "cidr6", cidr: rule.CidrIpv6 };
  if (rule.PrefixListId) return { kind: "prefix-list", prefixListId: rule.PrefixListId };
  if (rule.ReferencedGroupInfo?.GroupId) {
    return {
      kind: "group",
      groupId: rule.ReferencedGroupInfo.GroupId,
      userId: rule.ReferencedGroupInfo.UserId,
    };
  }
  return undefined;
}

/** An EC2 API rule as Vigil's rule type; egress rules and rules without a source give undefined. */
export function ingressRuleFromApi(rule: SecurityGroupRule): IngressRule | undefined {
  return rule.IsEgress ? undefined : ruleFromApi(rule);
}

/** An EC2 API rule of either direction (`IsEgress` says which) as Vigil's rule type. */
export function ruleFromApi(rule: SecurityGroupRule): IngressRule | undefined {
  const source = sourceOf(rule);
  if (!source) return undefined;
  return makeRule({
    protocol: rule.IpProtocol,
    fromPort: rule.FromPort,
    toPort: rule.ToPort,
    source,
    ruleId: rule.SecurityGroupRuleId,
    description: rule.Description,
  });
}

/** Every ingress rule of a group as it is now, with rule ids (paginated). */
export async function liveIngressRules(
  ec2: EC2Client,
  groupId: string,
): Promise<{ rules: IngressRule[]; calls: number }> {
  const { ingress, calls } = await liveRules(ec2, groupId);
  return { rules: ingress, calls };
}

/** Every rule of a group as it is now, both directions, with rule ids (paginated). */
export async function liveRules(
  ec2: EC2Client,
  groupId: string,
): Promise<{ ingress: IngressRule[]; egress: EgressRule[]; calls: number }> {
  const ingress: IngressRule[] = [];
  const egress: EgressRule[] = [];
  let calls = 0;
  const { paginateDescribeSecurityGroupRules } = await loadEc2();
  const pages = paginateDescribeSecurityGroupRules(
    { client: ec2 },
    { Filters: [{ Name: "group-id", Values: [groupId] }], MaxResults: 1000 },
  );
  for await (const page of pages) {
    calls++;
    for (const rule of page.SecurityGroupRules ?? []) {
      const converted = ruleFromApi(rule);
      if (converted) (rule.IsEgress ? egress : ingress).push(converted);
    }
  }
  return { ingress, egress, calls };
}

/** What DescribeSecurityGroups says about a group besides its rules; undefined when it is gone. */
export interface DescribedGroup {
  groupName?: string;
  vpcId?: string;
  ownerId?: string;
  tags: Record<string, string>;
}

/** One DescribeSecurityGroups call: the group's name (is it a default group?), VPC, owner and tags. */
export async function describeGroup(ec2: EC2Client, groupId: string): Promise<DescribedGroup | undefined> {
  const { DescribeSecurityGroupsCommand } = await loadEc2();
  try {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const group = out?.SecurityGroups?.find((g) => g.GroupId === undefined || g.GroupId === groupId);
    if (!group) return undefined;
    return {
      ...(group.GroupName ? { groupName: group.GroupName } : {}),
      ...(group.VpcId ? { vpcId: group.VpcId } : {}),
      ...(group.OwnerId ? { ownerId: group.OwnerId } : {}),
      tags: tagsOf(group.Tags),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** EC2's tag list as a map (keys without a name dropped). */
export function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? "", t.Value ?? ""]),
  );
}

/** The current ingress definitions of the given rule ids; ids that no longer exist are simply absent. */
export async function liveRulesById(ec2: EC2Client, ruleIds: string[]): Promise<IngressRule[]> {
  const found: IngressRule[] = [];
  const { DescribeSecurityGroupRulesCommand } = await loadEc2();
  for (const id of ruleIds) {
    // One id per call: an unknown id fails the whole request, and edits in place name few rules.
    try {
      const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }));
      for (const rule of out.SecurityGroupRules ?? []) {
        const ingress = ingressRuleFromApi(rule);
        if (ingress) found.push(ingress);
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return found;
}

/** EC2's "that thing is not there" errors, which for Vigil mean "already gone". */
export function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string; Code?: string } | undefined)?.name ?? "";
  return /NotFound/.test(name);
}

/**
 * The network interfaces that use the group (at least `limit` of them, when there are that many) (instances, Lambda, RDS, endpoints, …), and
 * the calls it took. Filtered pages may come back empty with a next token, so it follows them.
 */
export async function networkInterfacesUsing(
  ec2: EC2Client,
  groupId: string,
  limit = 5,
): Promise<{ ids: string[]; calls: number }> {
  const { DescribeNetworkInterfacesCommand } = await loadEc2();
  const ids: string[] = [];
  let calls = 0;
  let token: string | undefined;
  do {
    calls++;
    const out = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: "group-id", Values: [groupId] }],
        MaxResults: 1000,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    ids.push(...(out?.NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId ?? "an unnamed interface"));
    token = out?.NextToken;
  } while (token && ids.length < limit);
  return { ids, calls };
}
