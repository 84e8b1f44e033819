import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import type { EC2Client } from "@aws-sdk/client-ec2";
import { z } from "zod";
import { formatPortRange } from "../net/ports";
import { isNotFound, liveIngressRules } from "../resources/security-group/from-ec2-api";
import { ruleKey } from "../resources/security-group/rule-factory";
import { ingressRuleSchema, type IngressRule } from "../resources/security-group/state";
import { defineRemediation, type RemediationOutcome } from "./define";
import { ipPermissionFor } from "./security-group/ip-permission";

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

/**
 * Gives every rule its id: rules from CloudTrail responses have one; rules from Config items are
 * matched by value against the group's live rules. Rules not found any more are already gone.
 */
async function withRuleIds(ec2: EC2Client, groupId: string, rules: IngressRule[]) {
  if (rules.every((r) => r.ruleId)) return { rules, calls: 0 };
  const live = await liveIngressRules(ec2, groupId);
  const byKey = new Map(live.rules.map((r) => [ruleKey(r), r]));
  const resolved = rules.flatMap((rule) => {
    if (rule.ruleId) return [rule];
    const match = byKey.get(ruleKey(rule));
    return match ? [match] : [];
  });
  return { rules: resolved, calls: live.calls };
}

function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? String(error);
}

/** Revokes by id. If one id is gone the whole call fails, so fall back to one id per call. */
async function revoke(ec2: EC2Client, groupId: string, rules: IngressRule[]) {
  const ids = rules.map((r) => r.ruleId).filter((id): id is string => id !== undefined);
  let calls = 1;
  try {
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ids }));
    return { revoked: rules, calls };
  } catch (error) {
    if (!isNotFound(error)) throw error;
    // The group itself is gone: so is every rule in it.
    if (errorName(error).startsWith("InvalidGroup")) return { revoked: [], calls };
  }
  const revoked: IngressRule[] = [];
  for (const rule of rules) {
    calls++;
    try {
      await ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          SecurityGroupRuleIds: [rule.ruleId ?? ""],
        }),
      );
      revoked.push(rule);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return { revoked, calls };
}

export default defineRemediation({
  id: REVOKE_INGRESS_ID,
  title: "Revoke exactly the offending ingress rules, by security-group rule id",
  resourceType: "AWS::EC2::SecurityGroup",
  iamActions: ["ec2:RevokeSecurityGroupIngress", "ec2:DescribeSecurityGroupRules"],
  undoIamActions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:CreateTags"],
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
    const ec2 = clients.ec2();
    const lookup = await withRuleIds(ec2, groupId, wanted);
    if (!lookup.rules.length) {
      return {
        result: "already-gone",
        action: `nothing to revoke on ${groupId}: the rules are already gone`,
        awsCalls: lookup.calls,
      };
    }
    const { revoked, calls } = await revoke(ec2, groupId, lookup.rules);
    const awsCalls = lookup.calls + calls;
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
    const ec2 = clients.ec2();
    if (params.exemptChecks.length) {
      // Tag first: the re-authorize event must find the group exempt, or Vigil would revoke again.
      await ec2.send(
        new CreateTagsCommand({
          Resources: [params.groupId],
          Tags: [
            { Key: params.exemptionTagKey, Value: params.exemptChecks.join(",") },
            { Key: `${params.exemptionTagKey}-reason`, Value: "restored with vigil undo" },
          ],
        }),
      );
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
    return `restored on ${params.groupId}: ${restored.join("; ")}`;
  },
});
