import type { EC2Client, RevokeSecurityGroupIngressCommandOutput } from "@aws-sdk/client-ec2";
import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadEc2 } from "../aws/sdk";
import { formatPortRange } from "../net/ports";
import { isNotFound, liveIngressRules, liveRulesById } from "../resources/security-group/from-ec2-api";
import { ruleKey } from "../resources/security-group/rule-factory";
import { ingressRuleSchema, type IngressRule } from "../resources/security-group/state";
import { defineRemediation, type RemediationOutcome } from "./define";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { ipPermissionFor } from "./security-group/ip-permission";

const silent = { warn: () => {} };

export const REVOKE_INGRESS_ID = "revoke-security-group-ingress";

const undoParamsSchema = z.object({
  groupId: z.string(),
  rules: z.array(ingressRuleSchema).min(1),
  /** Checks to mark exempt on the group before restoring, so Vigil doesn't revoke the rule again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type RevokeUndoParams = z.input<typeof undoParamsSchema>;

export function describeRule(rule: IngressRule): string {
  const s = rule.source;
  const from =
    s.kind === "cidr4" || s.kind === "cidr6" ? s.cidr : s.kind === "group" ? s.groupId : s.prefixListId;
  return `${formatPortRange(rule)} from ${from}${rule.ruleId ? ` (${rule.ruleId})` : ""}`;
}

/** The offending rules named by the violations, once each. */
function offendingRules(evidence: Record<string, unknown>[]): IngressRule[] {
  const rules = new Map<string, IngressRule>();
  for (const item of evidence) {
    const parsed = ingressRuleSchema.safeParse(item.rule);
    if (parsed.success) rules.set(parsed.data.ruleId ?? ruleKey(parsed.data), parsed.data);
  }
  return [...rules.values()];
}

/** The group itself is gone: so is every rule in it. */
const groupGone = (error: unknown) => errorName(error).startsWith("InvalidGroup") && isNotFound(error);

interface Revoked {
  revoked: IngressRule[];
  calls: number;
}

/** Revokes by id. One unknown id fails the whole call, so then each id is tried alone. */
async function revokeByIds(
  ec2: EC2Client,
  groupId: string,
  rules: IngressRule[],
): Promise<Revoked & { missing: IngressRule[] }> {
  const { RevokeSecurityGroupIngressCommand } = await loadEc2();
  const send = (ids: string[]) =>
    ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ids }));
  try {
    const out = await send(rules.map((r) => r.ruleId ?? ""));
    const confirmed = await confirmRevoked(ec2, rules, out);
    return { ...confirmed, calls: 1 + confirmed.calls };
  } catch (error) {
    if (groupGone(error)) return { revoked: [], missing: [], calls: 1 };
    if (!isNotFound(error) || rules.length === 1) {
      if (isNotFound(error)) return { revoked: [], missing: rules, calls: 1 };
      throw error;
    }
  }
  const result = { revoked: [] as IngressRule[], missing: [] as IngressRule[], calls: 1 };
  for (const rule of rules) {
    result.calls++;
    try {
      const confirmed = await confirmRevoked(ec2, [rule], await send([rule.ruleId ?? ""]));
      result.revoked.push(...confirmed.revoked);
      result.missing.push(...confirmed.missing);
      result.calls += confirmed.calls;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      if (!groupGone(error)) result.missing.push(rule);
    }
  }
  return result;
}

/**
 * A `true` answer is not proof: AWS lists what it revoked, and an emulator may ignore ids and still
 * answer true. Trust the list when there is one; without it, re-read the ids to see which are gone.
 */
async function confirmRevoked(
  ec2: EC2Client,
  rules: IngressRule[],
  out: RevokeSecurityGroupIngressCommandOutput,
): Promise<{ revoked: IngressRule[]; missing: IngressRule[]; calls: number }> {
  const listed = out.RevokedSecurityGroupRules;
  if (listed) {
    const ids = new Set(listed.map((r) => r.SecurityGroupRuleId));
    return {
      revoked: rules.filter((r) => ids.has(r.ruleId)),
      missing: rules.filter((r) => !ids.has(r.ruleId)),
      calls: 0,
    };
  }
  let live: IngressRule[];
  try {
    live = await liveRulesById(
      ec2,
      rules.map((r) => r.ruleId ?? ""),
    );
  } catch {
    // Nothing better to go on than the answer itself.
    return {
      revoked: out.Return === false ? [] : rules,
      missing: out.Return === false ? rules : [],
      calls: rules.length,
    };
  }
  const stillThere = new Set(live.map((r) => r.ruleId));
  return {
    revoked: rules.filter((r) => !stillThere.has(r.ruleId)),
    missing: rules.filter((r) => stillThere.has(r.ruleId)),
    calls: rules.length,
  };
}

/**
 * Revokes one rule by its properties (protocol, ports, one source): exact, as rules are unique by value.
 * In a default VPC an unmatched rule is not an error but comes back in `UnknownIpPermissions`.
 */
async function revokeByValue(ec2: EC2Client, groupId: string, rules: IngressRule[]): Promise<Revoked> {
  const result: Revoked = { revoked: [], calls: 0 };
  const { RevokeSecurityGroupIngressCommand } = await loadEc2();
  for (const rule of rules) {
    result.calls++;
    // The event's id is stale (that's why we are here): neither keep nor show it.
    const { ruleId: _id, ...withoutId } = rule;
    const { description: _description, ...definition } = withoutId;
    try {
      const out = await ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [ipPermissionFor(definition)],
        }),
      );
      if (out.UnknownIpPermissions?.length || out.Return === false) continue;
      const realId = out.RevokedSecurityGroupRules?.[0]?.SecurityGroupRuleId;
      result.revoked.push(realId ? { ...withoutId, ruleId: realId } : withoutId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return result;
}

/**
 * Rules without a (valid) id are found among the group's live rules by value, which also yields the
 * real definition for undo. Where the rule lookup API isn't available, fall back to revoking by value.
 */
async function revokeUnidentified(
  ec2: EC2Client,
  groupId: string,
  rules: IngressRule[],
  logger: LookupLogger,
): Promise<Revoked> {
  if (!rules.length) return { revoked: [], calls: 0 };
  let live: Awaited<ReturnType<typeof liveIngressRules>>;
  try {
    live = await liveIngressRules(ec2, groupId);
  } catch (error) {
    if (groupGone(error)) return { revoked: [], calls: 1 };
    logger.warn("security-group rule lookup failed; revoking by value", { groupId, error: errorName(error) });
    const byValue = await revokeByValue(ec2, groupId, rules);
    return { revoked: byValue.revoked, calls: byValue.calls + 1 };
  }
  const byKey = new Map(live.rules.map((r) => [ruleKey(r), r]));
  const found = rules.flatMap((rule) => byKey.get(ruleKey({ ...rule, ruleId: undefined })) ?? []);
  if (!found.length) return { revoked: [], calls: live.calls };
  const byId = await revokeByIds(ec2, groupId, found);
  return { revoked: byId.revoked, calls: live.calls + byId.calls };
}

interface LookupLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export default defineRemediation({
  id: REVOKE_INGRESS_ID,
  title: "Revoke exactly the offending ingress rules, by security-group rule id",
  resourceType: "AWS::EC2::SecurityGroup",
  iamActions: ["ec2:RevokeSecurityGroupIngress", "ec2:DescribeSecurityGroupRules"],
  undoIamActions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags", "ec2:DescribeSecurityGroups"],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const groupId = state.groupId;
    const wanted = offendingRules(violations.map((v) => v.evidence));
    if (!wanted.length) return { result: "skipped", action: "no ingress rule to revoke", awsCalls: 0 };
    if (dryRun) {
      return {
        result: "planned",
        action: `revoke from ${groupId}: ${wanted.map(describeRule).join("; ")}`,
        awsCalls: 0,
      };
    }
    const ec2 = await clients.ec2();
    const withIds = wanted.filter((r) => r.ruleId);
    // Ids from the event are exact; an id that is gone may mean the rule was re-created, so look again by value.
    const first = withIds.length
      ? await revokeByIds(ec2, groupId, withIds)
      : { revoked: [], missing: [], calls: 0 };
    const rest = [...wanted.filter((r) => !r.ruleId), ...first.missing];
    const second = await revokeUnidentified(ec2, groupId, rest, clients.logger ?? silent);
    const revoked = [...first.revoked, ...second.revoked];
    const awsCalls = first.calls + second.calls;
    if (!revoked.length) {
      return {
        result: "already-gone",
        action: `nothing to revoke on ${groupId}: the rules are already gone`,
        awsCalls,
      };
    }
    return {
      result: "succeeded",
      action: `revoked from ${groupId}: ${revoked.map(describeRule).join("; ")}`,
      undo: {
        remediationId: REVOKE_INGRESS_ID,
        params: { groupId, rules: revoked } satisfies RevokeUndoParams,
      },
      awsCalls,
    };
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const [ec2, { AuthorizeSecurityGroupIngressCommand, CreateTagsCommand, DescribeSecurityGroupsCommand }] =
      await Promise.all([clients.ec2(), loadEc2()]);
    let exempted = "";
    if (params.exemptChecks.length) {
      // Tag first: the re-authorize event must find the group exempt, or Vigil would revoke again.
      const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [params.groupId] }));
      const current = Object.fromEntries(
        (described.SecurityGroups?.[0]?.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]),
      );
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
    for (const rule of params.rules) {
      try {
        await ec2.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: params.groupId,
            IpPermissions: [ipPermissionFor(rule)],
          }),
        );
        restored.push(describeRule({ ...rule, ruleId: undefined }));
      } catch (error) {
        if (errorName(error) !== "InvalidPermission.Duplicate") throw error;
        restored.push(`${describeRule({ ...rule, ruleId: undefined })} (already present)`);
      }
    }
    return `restored on ${params.groupId}: ${restored.join("; ")}${exempted}`;
  },
});
