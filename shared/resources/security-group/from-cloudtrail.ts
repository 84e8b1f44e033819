import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { DEFAULT_GROUP_NAME, securityGroupRef } from "./ref";
import { makeRule } from "./rule-factory";
import type { IngressRule, RuleSource } from "./state";

/** EC2's classic lists are `{ items: [...] }`, `{}` when empty, and occasionally `{ item: [...] }`. */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (Array.isArray(value)) return value;
    const record = (value ?? {}) as { items?: unknown; item?: unknown };
    const list = record.items ?? record.item ?? [];
    return Array.isArray(list) ? list : [list];
  }, z.array(item));
}

const portValue = z.union([z.number(), z.string()]).optional();
const text = z.string().nullable().optional();

const requestPermissionSchema = z.looseObject({
  ipProtocol: z.union([z.string(), z.number()]).optional(),
  fromPort: portValue,
  toPort: portValue,
  ipRanges: listOf(z.looseObject({ cidrIp: z.string(), description: text })),
  ipv6Ranges: listOf(z.looseObject({ cidrIpv6: z.string(), description: text })),
  groups: listOf(
    z.looseObject({
      groupId: z.string().optional(),
      groupName: z.string().optional(),
      userId: z.string().optional(),
      description: text,
    }),
  ),
  prefixListIds: listOf(z.looseObject({ prefixListId: z.string(), description: text })),
});

const authorizeRequestSchema = z.looseObject({
  groupId: z.string().optional(),
  groupName: z.string().optional(),
  ipPermissions: listOf(requestPermissionSchema),
  // Legacy single-rule form: everything at the top level and `ipPermissions: {}`.
  cidrIp: z.string().optional(),
  ipProtocol: z.union([z.string(), z.number()]).optional(),
  fromPort: portValue,
  toPort: portValue,
  omitted: z.boolean().optional(),
});

const responseRuleSchema = z.looseObject({
  groupId: z.string(),
  securityGroupRuleId: z.string(),
  isEgress: z.boolean().optional(),
  ipProtocol: z.union([z.string(), z.number()]),
  fromPort: portValue,
  toPort: portValue,
  cidrIpv4: z.string().optional(),
  cidrIpv6: z.string().optional(),
  prefixListId: z.string().optional(),
  referencedGroupInfo: z.looseObject({ groupId: z.string(), userId: z.string().optional() }).optional(),
  description: text,
});

const authorizeResponseSchema = z
  .looseObject({ securityGroupRuleSet: listOf(responseRuleSchema), omitted: z.boolean().optional() })
  .nullable()
  .optional();

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** A rule from a response's rule set, in either direction (`isEgress` says which); undefined without a source. */
function responseRule(rule: z.infer<typeof responseRuleSchema>): IngressRule | undefined {
  const source: RuleSource | undefined = rule.cidrIpv4
    ? { kind: "cidr4", cidr: rule.cidrIpv4 }
    : rule.cidrIpv6
      ? { kind: "cidr6", cidr: rule.cidrIpv6 }
      : rule.prefixListId
        ? { kind: "prefix-list", prefixListId: rule.prefixListId }
        : rule.referencedGroupInfo
          ? {
              kind: "group",
              groupId: rule.referencedGroupInfo.groupId,
              userId: rule.referencedGroupInfo.userId,
            }
          : undefined;
  if (!source) return undefined;
  const { ipProtocol: protocol, fromPort, toPort, securityGroupRuleId: ruleId, description } = rule;
  return makeRule({ protocol, fromPort, toPort, source, ruleId, description });
}

function responseRuleToIngress(rule: z.infer<typeof responseRuleSchema>): IngressRule | undefined {
  return rule.isEgress ? undefined : responseRule(rule);
}

/** One rule per (permission x source), the granularity AWS gives rule ids at (egress requests alike). */
function requestRulesToIngress(request: z.infer<typeof authorizeRequestSchema>): IngressRule[] {
  const rules: IngressRule[] = [];
  for (const p of request.ipPermissions) {
    const base = { protocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort };
    for (const r of p.ipRanges)
      rules.push(
        makeRule({ ...base, source: { kind: "cidr4", cidr: r.cidrIp }, description: r.description }),
      );
    for (const r of p.ipv6Ranges)
      rules.push(
        makeRule({ ...base, source: { kind: "cidr6", cidr: r.cidrIpv6 }, description: r.description }),
      );
    for (const r of p.prefixListIds) {
      rules.push(
        makeRule({
          ...base,
          source: { kind: "prefix-list", prefixListId: r.prefixListId },
          description: r.description,
        }),
      );
    }
    for (const g of p.groups) {
      const groupId = g.groupId ?? g.groupName ?? "unknown";
      rules.push(
        makeRule({
          ...base,
          source: { kind: "group", groupId, userId: g.userId },
          description: g.description,
        }),
      );
    }
  }
  if (request.cidrIp) {
    const { ipProtocol: protocol, fromPort, toPort } = request;
    rules.push(makeRule({ protocol, fromPort, toPort, source: { kind: "cidr4", cidr: request.cidrIp } }));
  }
  return rules;
}

/** `AuthorizeSecurityGroupIngress`: the response's rule set is authoritative (ids, canonical CIDRs); the request is the fallback. */
export function fromAuthorizeIngress(
  detail: CloudTrailDetail,
  account: string,
): Observation<"AWS::EC2::SecurityGroup">[] {
  const request = parse(
    authorizeRequestSchema,
    detail.requestParameters ?? {},
    "AuthorizeSecurityGroupIngress requestParameters",
  );
  const response = parse(
    authorizeResponseSchema,
    detail.responseElements,
    "AuthorizeSecurityGroupIngress responseElements",
  );
  const created = (response?.securityGroupRuleSet ?? [])
    .map(responseRuleToIngress)
    .filter((r) => r !== undefined);
  // A request addressed by groupName (default VPC, CloudFormation) names the id only in the response.
  const groupId = request.groupId ?? response?.securityGroupRuleSet[0]?.groupId;
  if (!groupId) {
    throw new UnusableEventError(
      "AuthorizeSecurityGroupIngress names no groupId and its response carries no rule set",
    );
  }
  const truncated = request.omitted === true || response?.omitted === true;
  const ingress = created.length ? created : requestRulesToIngress(request);
  // Only a call addressed by name says it is the (default VPC's) default group; by id it says nothing.
  const defaultGroup = request.groupName === DEFAULT_GROUP_NAME;
  return [
    {
      resource: securityGroupRef(groupId, account, detail.awsRegion, request.groupName),
      state: {
        groupId,
        ...(request.groupName ? { groupName: request.groupName } : {}),
        ingress,
        ...(defaultGroup ? { confirm: "whole-group" as const } : {}),
      },
      complete: false,
      observedAt: detail.eventTime,
      tagsKnown: false,
      // CloudTrail cut the payload: read the group's rules instead of guessing. A default group is
      // judged on all its rules (EC2.2), which the event doesn't carry.
      needsRefresh: defaultGroup || (truncated && !created.length),
    },
  ];
}

/**
 * `AuthorizeSecurityGroupEgress` (VPC groups, addressed by id only). Only EC2.2 judges egress, and
 * only on a VPC's default group, which the event can't name: the refresh reads the group (one
 * DescribeSecurityGroups, which also gives its tags) and, for a default group, all its rules.
 */
export function fromAuthorizeEgress(
  detail: CloudTrailDetail,
  account: string,
): Observation<"AWS::EC2::SecurityGroup">[] {
  const request = parse(
    authorizeRequestSchema,
    detail.requestParameters ?? {},
    "AuthorizeSecurityGroupEgress requestParameters",
  );
  const response = parse(
    authorizeResponseSchema,
    detail.responseElements,
    "AuthorizeSecurityGroupEgress responseElements",
  );
  const rules = response?.securityGroupRuleSet ?? [];
  const groupId = request.groupId ?? rules[0]?.groupId;
  if (!groupId)
    throw new UnusableEventError(
      "AuthorizeSecurityGroupEgress names no groupId and its response carries no rule set",
    );
  const created = rules
    .filter((r) => r.isEgress !== false)
    .map(responseRule)
    .filter((r) => r !== undefined);
  const egress = created.length ? created : requestRulesToIngress(request);
  return [
    {
      resource: securityGroupRef(groupId, account, detail.awsRegion),
      state: { groupId, ingress: [], egress, confirm: "whole-group" },
      complete: false,
      observedAt: detail.eventTime,
      tagsKnown: false,
      needsRefresh: true,
    },
  ];
}

const modifiedRuleSchema = z.looseObject({
  SecurityGroupRuleId: z.string(),
  SecurityGroupRule: z
    .looseObject({
      IpProtocol: z.union([z.string(), z.number()]).optional(),
      FromPort: portValue,
      ToPort: portValue,
      CidrIpv4: z.string().optional(),
      CidrIpv6: z.string().optional(),
      ReferencedGroupId: z.string().optional(),
      PrefixListId: z.string().optional(),
      Description: text,
    })
    .optional(),
});

const modifyRequestSchema = z.looseObject({
  ModifySecurityGroupRulesRequest: z.looseObject({
    GroupId: z.string(),
    SecurityGroupRule: z.union([modifiedRuleSchema, z.array(modifiedRuleSchema)]),
  }),
});

/**
 * `ModifySecurityGroupRules` edits rules in place by id (console "Edit inbound rules"). The request
 * doesn't say whether a rule is ingress or egress and the response carries no rule set, so the rules
 * are re-read (`needsRefresh`) before any check runs on them.
 */
export function fromModifyRules(
  detail: CloudTrailDetail,
  account: string,
): Observation<"AWS::EC2::SecurityGroup">[] {
  const { ModifySecurityGroupRulesRequest: request } = parse(
    modifyRequestSchema,
    detail.requestParameters,
    "ModifySecurityGroupRules requestParameters",
  );
  const edits = Array.isArray(request.SecurityGroupRule)
    ? request.SecurityGroupRule
    : [request.SecurityGroupRule];
  const ingress = edits.flatMap((edit) => {
    const r = edit.SecurityGroupRule;
    const source: RuleSource | undefined = r?.CidrIpv4
      ? { kind: "cidr4", cidr: r.CidrIpv4 }
      : r?.CidrIpv6
        ? { kind: "cidr6", cidr: r.CidrIpv6 }
        : r?.PrefixListId
          ? { kind: "prefix-list", prefixListId: r.PrefixListId }
          : r?.ReferencedGroupId
            ? { kind: "group", groupId: r.ReferencedGroupId }
            : undefined;
    if (!r || !source) return [];
    return [
      makeRule({
        protocol: r.IpProtocol,
        fromPort: r.FromPort,
        toPort: r.ToPort,
        source,
        ruleId: edit.SecurityGroupRuleId,
        description: r.Description,
      }),
    ];
  });
  return [
    {
      resource: securityGroupRef(request.GroupId, account, detail.awsRegion),
      state: { groupId: request.GroupId, ingress },
      complete: false,
      observedAt: detail.eventTime,
      tagsKnown: false,
      needsRefresh: true,
    },
  ];
}
