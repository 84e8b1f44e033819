import type { EC2Client, SecurityGroupRule } from "@aws-sdk/client-ec2";
import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadEc2 } from "../aws/sdk";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { isTransient } from "../pipeline/remediate";
import {
  describeDirectedRule,
  directedRuleSchema,
  type DirectedRule,
  type Direction,
} from "../resources/security-group/directed-rule";
import {
  isNotFound,
  liveRules,
  networkInterfacesUsing,
  tagsOf,
} from "../resources/security-group/from-ec2-api";
import { DEFAULT_GROUP_NAME } from "../resources/security-group/ref";
import { ruleKey } from "../resources/security-group/rule-factory";
import { ingressRuleSchema, type IngressRule } from "../resources/security-group/state";
import { defineRemediation, type RemediationOutcome } from "./define";
import { ipPermissionFor } from "./security-group/ip-permission";

export const REMOVE_DEFAULT_RULES_ID = "remove-default-security-group-rules";

const undoParamsSchema = z.object({
  groupId: z.string(),
  ingress: z.array(ingressRuleSchema).default([]),
  egress: z.array(ingressRuleSchema).default([]),
  /** Checks to mark exempt on the group before restoring, so Vigil doesn't remove the rules again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type RemoveDefaultRulesUndoParams = z.input<typeof undoParamsSchema>;

/** The rules the violations name, once each (by id, else by value), in their direction. */
function wantedRules(evidence: Record<string, unknown>[]): DirectedRule[] {
  const rules = new Map<string, DirectedRule>();
  for (const item of evidence) {
    const parsed = directedRuleSchema.safeParse(item);
    if (parsed.success) rules.set(identity(parsed.data), parsed.data);
  }
  return [...rules.values()];
}

const identity = ({ direction, rule }: DirectedRule) => `${direction}|${rule.ruleId ?? ruleKey(rule)}`;
const byValue = ({ direction, rule }: DirectedRule) =>
  `${direction}|${ruleKey({ ...rule, ruleId: undefined })}`;
const describeAll = (rules: DirectedRule[]) => rules.map(describeDirectedRule).join("; ");
const groupGone = (error: unknown) => errorName(error).startsWith("InvalidGroup") && isNotFound(error);

interface Removal {
  removed: DirectedRule[];
  calls: number;
}

interface ByIds extends Removal {
  /** Rules whose id EC2 didn't know (deleted, or re-created under a new id). */
  missing: DirectedRule[];
  /** The group itself is gone. */
  gone: boolean;
}

/**
 * Revokes one direction's rules by id. One unknown id fails the whole call, so then each id is
 * tried alone; the unknown ones come back as missing.
 */
async function revokeByIds(
  ec2: EC2Client,
  groupId: string,
  direction: Direction,
  rules: IngressRule[],
): Promise<ByIds> {
  const result: ByIds = { removed: [], missing: [], calls: 0, gone: false };
  if (!rules.length) return result;
  const { RevokeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand } = await loadEc2();
  const send = async (batch: IngressRule[]) => {
    result.calls++;
    const input = { GroupId: groupId, SecurityGroupRuleIds: batch.map((r) => r.ruleId ?? "") };
    const out =
      direction === "ingress"
        ? await ec2.send(new RevokeSecurityGroupIngressCommand(input))
        : await ec2.send(new RevokeSecurityGroupEgressCommand(input));
    const revoked = confirmed(batch, out?.RevokedSecurityGroupRules, out?.Return);
    result.removed.push(...revoked.map((rule) => ({ direction, rule })));
    result.missing.push(...batch.filter((r) => !revoked.includes(r)).map((rule) => ({ direction, rule })));
  };
  try {
    await send(rules);
    return result;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (groupGone(error)) return { ...result, gone: true };
    if (rules.length === 1) return { ...result, missing: [{ direction, rule: rules[0] as IngressRule }] };
  }
  for (const rule of rules) {
    try {
      await send([rule]);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      if (groupGone(error)) return { ...result, gone: true };
      result.missing.push({ direction, rule });
    }
  }
  return result;
}

async function revokeBothByIds(ec2: EC2Client, groupId: string, rules: DirectedRule[]): Promise<ByIds> {
  const pick = (direction: Direction) => rules.filter((r) => r.direction === direction).map((r) => r.rule);
  const ingress = await revokeByIds(ec2, groupId, "ingress", pick("ingress"));
  if (ingress.gone) return ingress;
  const egress = await revokeByIds(ec2, groupId, "egress", pick("egress"));
  return {
    removed: [...ingress.removed, ...egress.removed],
    missing: [...ingress.missing, ...egress.missing],
    calls: ingress.calls + egress.calls,
    gone: egress.gone,
  };
}

/** AWS lists what it revoked: trust the list; without one (an emulator), trust `Return`. */
function confirmed(
  rules: IngressRule[],
  listed: SecurityGroupRule[] | undefined,
  returned: boolean | undefined,
): IngressRule[] {
  if (!listed) return returned === false ? [] : rules;
  const ids = new Set(listed.map((r) => r.SecurityGroupRuleId));
  return rules.filter((r) => ids.has(r.ruleId));
}

/** Where rule ids can't be looked up: revoke each rule by its exact definition, one call each. */
async function revokeByValue(ec2: EC2Client, groupId: string, wanted: DirectedRule[]): Promise<Removal> {
  const { RevokeSecurityGroupIngressCommand, RevokeSecurityGroupEgressCommand } = await loadEc2();
  const result: Removal = { removed: [], calls: 0 };
  for (const { direction, rule } of wanted) {
    result.calls++;
    const { ruleId: _id, description: _description, ...definition } = rule;
    const input = { GroupId: groupId, IpPermissions: [ipPermissionFor(definition)] };
    try {
      const out =
        direction === "ingress"
          ? await ec2.send(new RevokeSecurityGroupIngressCommand(input))
          : await ec2.send(new RevokeSecurityGroupEgressCommand(input));
      if (out?.UnknownIpPermissions?.length || out?.Return === false) continue;
      const realId = out?.RevokedSecurityGroupRules?.[0]?.SecurityGroupRuleId;
      const { ruleId: _stale, ...kept } = rule;
      result.removed.push({ direction, rule: realId ? { ...kept, ruleId: realId } : kept });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return result;
}

/**
 * Revokes exactly the wanted rules. Ids (from a live read or the event) are exact and go first;
 * rules without one (Config items carry none) and ids EC2 no longer knows are then looked up among
 * the group's live rules by value. Rules added since the observation are not touched: their own
 * event or Config item is judged on its own.
 */
async function removeWanted(
  ec2: EC2Client,
  groupId: string,
  wanted: DirectedRule[],
  warn: Warn,
): Promise<Removal> {
  const first = await revokeBothByIds(
    ec2,
    groupId,
    wanted.filter((w) => w.rule.ruleId),
  );
  const rest = [...wanted.filter((w) => !w.rule.ruleId), ...first.missing];
  if (first.gone || !rest.length) return first;
  let live: Awaited<ReturnType<typeof liveRules>>;
  try {
    live = await liveRules(ec2, groupId);
  } catch (error) {
    if (groupGone(error)) return { removed: first.removed, calls: first.calls + 1 };
    if (isTransient(error)) throw error;
    warn("security-group rule lookup failed; revoking by value", { groupId, error: errorName(error) });
    const fallback = await revokeByValue(ec2, groupId, rest);
    return { removed: [...first.removed, ...fallback.removed], calls: first.calls + 1 + fallback.calls };
  }
  const current = new Map(
    [
      ...live.ingress.map((rule) => ({ direction: "ingress" as const, rule })),
      ...live.egress.map((rule) => ({ direction: "egress" as const, rule })),
    ].map((r) => [byValue(r), r]),
  );
  const found = rest.flatMap((w) => current.get(byValue(w)) ?? []);
  const second = await revokeBothByIds(ec2, groupId, found);
  return { removed: [...first.removed, ...second.removed], calls: first.calls + live.calls + second.calls };
}

type Warn = (message: string, attributes: Record<string, unknown>) => void;

export default defineRemediation({
  id: REMOVE_DEFAULT_RULES_ID,
  title: "Remove every inbound and outbound rule of a VPC's default security group, by rule id",
  resourceType: "AWS::EC2::SecurityGroup",
  iamActions: [
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroupRules",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupEgress",
  ],
  undoIamActions: [
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:CreateTags",
    "ec2:DescribeSecurityGroups",
  ],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const groupId = state.groupId;
    // Never strip a group that isn't a default group, whatever the violations say.
    if (state.groupName !== DEFAULT_GROUP_NAME)
      return {
        result: "skipped",
        action: `${groupId} is not a VPC's default group: left alone`,
        awsCalls: 0,
      };
    const wanted = wantedRules(violations.map((v) => v.evidence));
    if (!wanted.length) return { result: "skipped", action: "no default-group rule to remove", awsCalls: 0 };
    if (dryRun)
      return {
        result: "planned",
        action: `remove from default group ${groupId}: ${describeAll(wanted)}`,
        awsCalls: 0,
      };

    const ec2 = await clients.ec2();
    // Resources still in the group would lose their traffic: alert, and let a human move them first.
    let users: Awaited<ReturnType<typeof networkInterfacesUsing>>;
    try {
      users = await networkInterfacesUsing(ec2, groupId);
    } catch (error) {
      if (groupGone(error))
        return { result: "already-gone", action: `${groupId} no longer exists`, awsCalls: 1 };
      throw error;
    }
    if (users.ids.length) {
      const named = users.ids.slice(0, 3).join(", ");
      const more = users.ids.length > 3 ? ` and ${users.ids.length - 3} more` : "";
      return {
        result: "skipped",
        action: `held back: default group ${groupId} is used by ${named}${more}; removing its rules would cut their traffic`,
        detail:
          "Move those resources to security groups of their own, then remove the default group's rules (or let Vigil do it on the next change).",
        awsCalls: users.calls,
      };
    }
    const removal = await removeWanted(
      ec2,
      groupId,
      wanted,
      clients.logger?.warn.bind(clients.logger) ?? (() => {}),
    );
    const awsCalls = users.calls + removal.calls;
    if (!removal.removed.length)
      return {
        result: "already-gone",
        action: `nothing to remove from ${groupId}: the rules are already gone`,
        awsCalls,
      };
    const rulesOf = (direction: Direction) =>
      removal.removed.filter((r) => r.direction === direction).map((r) => r.rule);
    return {
      result: "succeeded",
      action: `removed from default group ${groupId}: ${describeAll(removal.removed)}`,
      undo: {
        remediationId: REMOVE_DEFAULT_RULES_ID,
        params: {
          groupId,
          ingress: rulesOf("ingress"),
          egress: rulesOf("egress"),
        } satisfies RemoveDefaultRulesUndoParams,
      },
      awsCalls,
    };
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const [
      ec2,
      {
        AuthorizeSecurityGroupIngressCommand,
        AuthorizeSecurityGroupEgressCommand,
        CreateTagsCommand,
        DescribeSecurityGroupsCommand,
      },
    ] = await Promise.all([clients.ec2(), loadEc2()]);
    let exempted = "";
    if (params.exemptChecks.length) {
      // Tag first: the re-authorize events must find the group exempt, or Vigil would remove the rules again.
      const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [params.groupId] }));
      const current = tagsOf(described.SecurityGroups?.[0]?.Tags);
      const { tags, summary } = undoExemptionTags(current, params.exemptChecks, params.exemptionTagKey);
      await ec2.send(
        new CreateTagsCommand({
          Resources: [params.groupId],
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      exempted = `; ${params.groupId} ${summary}`;
    }
    const restored: string[] = [];
    const rules: DirectedRule[] = [
      ...params.ingress.map((rule) => ({ direction: "ingress" as const, rule })),
      ...params.egress.map((rule) => ({ direction: "egress" as const, rule })),
    ];
    for (const { direction, rule } of rules) {
      const input = { GroupId: params.groupId, IpPermissions: [ipPermissionFor(rule)] };
      const text = describeDirectedRule({ direction, rule: { ...rule, ruleId: undefined } });
      try {
        if (direction === "ingress") await ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
        else await ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
        restored.push(text);
      } catch (error) {
        if (errorName(error) !== "InvalidPermission.Duplicate") throw error;
        restored.push(`${text} (already present)`);
      }
    }
    return `restored on ${params.groupId}: ${restored.join("; ")}${exempted}`;
  },
});
