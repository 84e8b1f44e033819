import type { EC2Client, SecurityGroupRule } from "@aws-sdk/client-ec2";
import { loadEc2 } from "../../aws/sdk";
import { makeRule } from "./rule-factory";
import type { IngressRule, RuleSource } from "./state";

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
  const source = sourceOf(rule);
  if (rule.IsEgress || !source) return undefined;
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
  const rules: IngressRule[] = [];
  let calls = 0;
  const { paginateDescribeSecurityGroupRules } = await loadEc2();
  const pages = paginateDescribeSecurityGroupRules(
    { client: ec2 },
    { Filters: [{ Name: "group-id", Values: [groupId] }], MaxResults: 1000 },
  );
  for await (const page of pages) {
    calls++;
    for (const rule of page.SecurityGroupRules ?? []) {
      const ingress = ingressRuleFromApi(rule);
      if (ingress) rules.push(ingress);
    }
  }
  return { rules, calls };
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
